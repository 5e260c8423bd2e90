// A click on a code lens ("2 children", "merge of 2", ...) runs the server command
// alembic.showRevisions through vscode-languageclient; the server answers with the
// Locations of those revisions, which VS Code shows in its references peek at the lens.

import * as vscode from 'vscode';

interface LspPosition {
  line: number;
  character: number;
}

interface LspLocation {
  uri: string;
  range: { start: LspPosition; end: LspPosition };
}

function isLocation(value: unknown): value is LspLocation {
  const l = value as LspLocation | undefined;
  return typeof l?.uri === 'string' && typeof l.range?.start?.line === 'number' && typeof l.range.end?.line === 'number';
}

/** The server's Location[] as VS Code Locations (anything else: none). */
export function toLocations(result: unknown): vscode.Location[] {
  if (!Array.isArray(result)) return [];
  return result.filter(isLocation).map((l) => new vscode.Location(
    vscode.Uri.parse(l.uri),
    new vscode.Range(l.range.start.line, l.range.start.character, l.range.end.line, l.range.end.character),
  ));
}

/** Shows the answer to alembic.showRevisions [{uri, position, ...}] in the references peek. */
export async function showRevisions(args: unknown[], result: unknown): Promise<void> {
  const locations = toLocations(result);
  const argument = (args[0] ?? {}) as { uri?: unknown; position?: Partial<LspPosition> };
  if (locations.length === 0 || typeof argument.uri !== 'string') {
    void vscode.window.showInformationMessage('Alembic: no revisions to show.');
    return;
  }
  const at = argument.position;
  const position = new vscode.Position(at?.line ?? 0, at?.character ?? 0);
  await vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(argument.uri), position, locations);
}
