// "Alembic: New migration": asks for the message (and, with several heads, the head), then
// the server's alembic.newMigration writes the file `alembic revision -m MSG` would write,
// through workspace/applyEdit (VS Code applies it to an unsaved document, saved here) and
// shows it. "Alembic: Autogenerate migration" runs the project's own
// `alembic revision --autogenerate -m MSG` in the Alembic terminal instead: comparing
// models with the database is Alembic's job.

import * as vscode from 'vscode';
import type { AlembicClient } from './alembicClient';
import { activeEnvironment, type GraphEnvironment } from './lsp/graph';
import { autogenerateCommandLine, distinctHeads, environmentAnchor, validateMessage } from './lsp/newMigration';
import { documentWithContent, saveAlsoChanged } from './merge';
import { activeFilePath } from './navigation';
import { runInTerminal, workingDirectory } from './runAlembic';

async function chooseEnvironment(alembic: AlembicClient, purpose: string): Promise<GraphEnvironment | undefined> {
  const active = activeFilePath();
  const result = await alembic.graph();
  const envs = result.environments;
  if (envs.length === 0) throw new Error('no Alembic environment found in the workspace');
  const holding = envs.find((e) => e.revisions.some((r) => r.path === active));
  if (holding || envs.length === 1) return holding ?? envs[0];
  const current = activeEnvironment(envs, active);
  const picked = await vscode.window.showQuickPick(
    envs.map((env) => ({ label: env.name, description: env.config ?? '', picked: env === current, env })),
    { title: `Alembic: ${purpose} in which environment?` },
  );
  return picked?.env;
}

async function chooseHead(env: GraphEnvironment, purpose: string): Promise<string | null | undefined> {
  const heads = distinctHeads(env);
  if (heads.length === 0) return null;
  if (heads.length === 1) return heads[0];
  const picked = await vscode.window.showQuickPick(
    heads.map((id) => ({ label: id, description: env.revisions.find((r) => r.id === id)?.message ?? '', id })),
    { title: `Alembic: ${heads.length} heads; ${purpose} on which?` },
  );
  return picked?.id;
}

async function askMessage(title: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: 'The message of the new migration (alembic revision -m)',
    placeHolder: 'add users table',
    validateInput: validateMessage,
  });
}

export async function newMigration(alembic: AlembicClient): Promise<void> {
  const env = await chooseEnvironment(alembic, 'new migration');
  if (!env) return;
  const head = await chooseHead(env, 'build the new migration');
  if (head === undefined) return;
  const message = await askMessage(`Alembic: new migration${head ? ` on ${head}` : ''}`);
  if (message === undefined) return;
  const anchor = environmentAnchor(env, activeFilePath());
  if (anchor === undefined) throw new Error(`environment ${env.name} has no file to name it by`);
  const created = await alembic.newMigration(anchor, head ?? undefined, message);
  const document = await documentWithContent(created.path, 10000);
  if (!document) {
    void vscode.window.showWarningMessage(`Alembic: the new migration ${created.path} was not written.`);
    return;
  }
  if (document.isDirty) await document.save();
  await saveAlsoChanged(created.alsoChanged);
  await vscode.window.showTextDocument(document);
}

export async function autogenerateMigration(alembic: AlembicClient): Promise<void> {
  const env = await chooseEnvironment(alembic, 'autogenerate a migration');
  if (!env) return;
  const head = await chooseHead(env, 'autogenerate');
  if (head === undefined) return;
  const message = await askMessage('Alembic: autogenerate a migration');
  if (message === undefined) return;
  const command = vscode.workspace.getConfiguration('alembic').get<string>('command', 'alembic');
  // --head only when Alembic needs the choice: with one head its default is the same.
  const onHead = distinctHeads(env).length > 1 && head !== null ? head : undefined;
  const cwd = workingDirectory(env, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  runInTerminal(autogenerateCommandLine(command, message, env.section, onHead), cwd, () => undefined);
}
