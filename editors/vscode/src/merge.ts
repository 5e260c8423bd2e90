// "Alembic: Merge heads": asks the server (alembic.mergeHeads) to write the migration
// `alembic merge heads` would; the server sends the file through workspace/applyEdit,
// which VS Code applies to an unsaved document, so it is saved here and shown.

import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { AlembicClient } from './alembicClient';
import { activeEnvironment, headCount, headRevisions, type GraphEnvironment } from './lsp/graph';
import { activeFilePath } from './navigation';

async function chooseEnvironment(candidates: GraphEnvironment[]): Promise<GraphEnvironment | undefined> {
  if (candidates.length <= 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((env) => ({ label: env.name, description: `${headCount(env)} heads`, env })),
    { title: 'Alembic: merge the heads of which environment?' },
  );
  return picked?.env;
}

/** Resolves once the merge file has content (in an editor or on disk), or after `ms`. */
export async function documentWithContent(path: string, ms: number): Promise<vscode.TextDocument | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path);
    if (open && open.getText().length > 0) return open;
    if (fs.existsSync(path) && fs.statSync(path).size > 0) return vscode.workspace.openTextDocument(path);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

/**
 * Saves the other files the server's edit changed beside the new migration (the head
 * file of `head-file`): VS Code applies an edit to unsaved documents, and a head file
 * left unsaved would not be committed with the migration.
 */
export async function saveAlsoChanged(paths: string[] | undefined): Promise<void> {
  for (const p of paths ?? []) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === p);
    if (open?.isDirty) await open.save();
  }
}

export async function mergeHeads(alembic: AlembicClient): Promise<void> {
  const active = activeFilePath();
  // Every environment: the open file's may have one head while another has several.
  const result = await alembic.graph();
  const current = activeEnvironment(result.environments, active);
  const candidates = result.environments
    .filter((e) => headCount(e) > 1)
    .sort((a, b) => Number(b === current) - Number(a === current));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('Alembic: every environment has a single head; nothing to merge.');
    return;
  }
  const env = await chooseEnvironment(candidates);
  if (!env) return;
  // Any migration of the environment names it; prefer the file the user is in.
  const anchor = env.revisions.some((r) => r.path === active) && active !== undefined ? active : headRevisions(env)[0].path;
  const merged = await alembic.mergeHeads(anchor);
  const document = await documentWithContent(merged.path, 10000);
  if (!document) {
    void vscode.window.showWarningMessage(`Alembic: the merge migration ${merged.path} was not written.`);
    return;
  }
  if (document.isDirty) await document.save();
  await saveAlsoChanged(merged.alsoChanged);
  await vscode.window.showTextDocument(document);
  void vscode.window.showInformationMessage(
    `Alembic: merged ${merged.parents.length} heads into ${merged.revision} (${vscode.workspace.asRelativePath(merged.path)}).`,
  );
}
