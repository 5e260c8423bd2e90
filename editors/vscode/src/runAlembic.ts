// "Alembic: Upgrade to here", "Downgrade to here", "Stamp", "Show current revision": the
// project's own Alembic (`alembic.command`, e.g. `uv run alembic`) run in a terminal the
// user sees, in the environment's config directory (`-n SECTION` for an ini section other
// than [alembic]). The server never runs Alembic; only these commands do, when the user
// asks. What `alembic current` reports is kept per environment for the graph to mark.

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AlembicClient } from './alembicClient';
import { alembicCommandLine, parseCurrent, type AlembicAction } from './lsp/alembicCommand';
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

/** Per environment name: the revisions `alembic current` last reported (the graph marks them). */
export const currentRevisions = new Map<string, string[]>();
const currentChanged = new vscode.EventEmitter<void>();
export const onDidChangeCurrent = currentChanged.event;

/**
 * The Alembic process as a terminal the user sees: its output as it comes, then its exit
 * status; Ctrl+C stops it. A Pseudoterminal rather than a shell so the extension learns
 * what `alembic current` printed and when a run ends.
 */
class AlembicRun implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writer.event;
  private child: ChildProcess | undefined;

  constructor(
    private readonly commandLine: string,
    private readonly cwd: string | undefined,
    private readonly finished: (code: number | null, stdout: string) => void,
  ) {}

  open(): void {
    const show = (text: string): void => this.writer.fire(text.replace(/\r?\n/g, '\r\n'));
    show(`${this.cwd ?? ''}$ ${this.commandLine}\n`);
    let stdout = '';
    const child = spawn(this.commandLine, { cwd: this.cwd, shell: true, env: process.env });
    this.child = child;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      show(d.toString());
    });
    child.stderr.on('data', (d: Buffer) => show(d.toString()));
    child.on('error', (e) => show(`\n${e.message}\n`));
    child.on('close', (code) => {
      show(`\n[alembic exited with ${code ?? 'a signal'}]\n`);
      this.child = undefined;
      this.finished(code, stdout);
    });
  }

  close(): void {
    this.child?.kill();
  }

  handleInput(data: string): void {
    if (data === '\x03') this.child?.kill('SIGINT');
  }
}

let terminal: vscode.Terminal | undefined;

/** One "Alembic" terminal at a time: the previous run's is replaced. */
export function runInTerminal(commandLine: string, cwd: string | undefined, finished: (code: number | null, stdout: string) => void): void {
  terminal?.dispose();
  terminal = vscode.window.createTerminal({ name: 'Alembic', pty: new AlembicRun(commandLine, cwd, finished) });
  terminal.show(true);
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
  runInTerminal(alembicCommandLine(command, action, id, env.section), cwd, (code, stdout) => {
    if (action === 'current') {
      if (code !== 0) return;
      currentRevisions.set(env.name, parseCurrent(stdout));
    } else {
      // The database moved: what `alembic current` said before no longer holds.
      currentRevisions.delete(env.name);
    }
    currentChanged.fire();
  });
}

export function onTerminalClosed(closed: vscode.Terminal): void {
  if (closed === terminal) terminal = undefined;
}
