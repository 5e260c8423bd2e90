// Opening a revision's file at its `revision = ...` line.

import * as vscode from 'vscode';

/** Opens `path` with the cursor on the 1-based `line`. */
export async function openRevision(path: string, line: number, column = vscode.ViewColumn.Active): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(document, {
    viewColumn: column,
    selection: new vscode.Range(position, position),
  });
}

/** The file of the active editor when it is a file on disk. */
export function activeFilePath(): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri?.scheme === 'file' ? uri.fsPath : undefined;
}
