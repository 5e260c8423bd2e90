// Finds out whether the workspace holds an Alembic project before starting the server:
// the activation events also fire for any pyproject.toml, and most of those are not
// Alembic's.

import * as vscode from 'vscode';
import { hasToolAlembic, looksLikeMigration, PROJECT_MARKERS, SEARCH_EXCLUDE } from './lsp/detect';

async function readText(uri: vscode.Uri): Promise<string> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return '';
  }
}

/** Why this workspace is an Alembic project ("alembic.ini at ..."), or undefined. */
export async function findAlembicProject(): Promise<string | undefined> {
  const ini = await vscode.workspace.findFiles(PROJECT_MARKERS.ini, SEARCH_EXCLUDE, 1);
  if (ini.length > 0) return `found ${vscode.workspace.asRelativePath(ini[0])}`;
  for (const uri of await vscode.workspace.findFiles(PROJECT_MARKERS.pyproject, SEARCH_EXCLUDE, 50)) {
    if (hasToolAlembic(await readText(uri))) return `found [tool.alembic] in ${vscode.workspace.asRelativePath(uri)}`;
  }
  for (const uri of await vscode.workspace.findFiles(PROJECT_MARKERS.migrations, SEARCH_EXCLUDE, 50)) {
    if (looksLikeMigration(await readText(uri))) return `found the migration ${vscode.workspace.asRelativePath(uri)}`;
  }
  return undefined;
}

/** Calls `found` once an Alembic project appears in the workspace (a file created or saved). */
export function watchForProject(found: (reason: string) => void): vscode.Disposable {
  const watchers = Object.values(PROJECT_MARKERS).map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  let done = false;
  const check = (): void => {
    if (done) return;
    void findAlembicProject().then((reason) => {
      if (reason !== undefined && !done) {
        done = true;
        found(reason);
      }
    });
  };
  const subscriptions = watchers.flatMap((w) => [w.onDidCreate(check), w.onDidChange(check), w]);
  return vscode.Disposable.from(...subscriptions);
}
