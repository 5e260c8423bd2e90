// Applies a WorkspaceEdit to disk the way VS Code does for the merge: CreateFile (never
// over an existing file unless told), then text edits on the new or existing documents.

import * as fs from 'node:fs';
import type { Position, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { ApplyResult } from './lspClient';
import { uriPath } from './paths';

/** The string index of an LSP position (UTF-16 code units, as JavaScript strings count). */
function offsetOf(text: string, p: Position): number {
  let offset = 0;
  for (let line = 0; line < p.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  const end = text.indexOf('\n', offset);
  return Math.min(offset + p.character, end < 0 ? text.length : end);
}

export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const spans = edits
    .map((e) => ({ start: offsetOf(text, e.range.start), end: offsetOf(text, e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

export function applyWorkspaceEdit(edit: WorkspaceEdit): ApplyResult {
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind !== 'create') return { applied: false, failureReason: `unsupported ${change.kind}` };
      const file = uriPath(change.uri);
      if (fs.existsSync(file) && !change.options?.overwrite) {
        if (change.options?.ignoreIfExists) continue;
        return { applied: false, failureReason: `${file} exists` };
      }
      fs.writeFileSync(file, '');
    } else {
      const file = uriPath(change.textDocument.uri);
      fs.writeFileSync(file, applyTextEdits(fs.readFileSync(file, 'utf8'), change.edits as TextEdit[]));
    }
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    const file = uriPath(uri);
    fs.writeFileSync(file, applyTextEdits(fs.readFileSync(file, 'utf8'), edits));
  }
  return { applied: true };
}
