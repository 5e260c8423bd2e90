// "Alembic: Upgrade to here", "Downgrade to here", "Stamp", "Show current revision": the
// project's own Alembic (`alembic.command`, e.g. `uv run alembic`) run in a terminal the
// user sees, in the environment's config directory. The server never runs Alembic; only
// these commands do, when the user asks.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AlembicClient } from './alembicClient';
import { alembicCommandLine, type AlembicAction } from './lsp/alembicCommand';
import type { GraphEnvironment, GraphRevision } from './lsp/graph';
import { activeFilePath } from './navigation';

export type { AlembicAction } from './lsp/alembicCommand';

/** A revision picked in the graph: its id and file. */
export interface RevisionTarget {
  id: string;
  path: string;
}

/** Where Alembic runs: the directory of the environment's config file. */
export function workingDirectory(env: GraphEnvironment, fallback: string | undefined): string | undefined {
  return env.config ? path.dirname(env.config) : fallback;
}

async function locate(alembic: AlembicClient, target?: RevisionTarget): Promise<{ env: GraphEnvironment; revision?: GraphRevision }> {
  const file = target?.path ?? activeFilePath();
  const result = await alembic.graph();
  for (const env of result.environments) {
    const revision = env.revisions.find((r) => r.path === file && (target === undefined || r.id === target.id));
    if (revision) return { env, revision };
  }
  throw new Error('open a migration (or pick a revision in the graph) first');
}

let terminal: vscode.Terminal | undefined;
let terminalCwd: string | undefined;

/** One "Alembic" terminal, made again when the directory changes. */
function alembicTerminal(cwd: string | undefined): vscode.Terminal {
  if (terminal && terminal.exitStatus === undefined && terminalCwd === cwd) return terminal;
  terminal?.dispose();
  terminal = vscode.window.createTerminal({ name: 'Alembic', cwd });
  terminalCwd = cwd;
  return terminal;
}

export async function runAlembic(alembic: AlembicClient, action: AlembicAction, target?: RevisionTarget): Promise<void> {
  const { env, revision } = await locate(alembic, target);
  if (action !== 'current' && !revision) throw new Error('no revision here');
  const id = revision?.id;
  if (action === 'downgrade') {
    const choice = await vscode.window.showWarningMessage(
      `Downgrade the database of ${env.name} to ${id}? Every migration after it is undone.`,
      { modal: true },
      'Downgrade',
    );
    if (choice !== 'Downgrade') return;
  }
  const command = vscode.workspace.getConfiguration('alembic').get<string>('command', 'alembic');
  const cwd = workingDirectory(env, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  const term = alembicTerminal(cwd);
  term.show(true);
  term.sendText(alembicCommandLine(command, action, id, env.section));
}

export function onTerminalClosed(closed: vscode.Terminal): void {
  if (closed === terminal) terminal = undefined;
}
