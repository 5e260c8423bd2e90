// Where the tests find the repository, the server binary and the examples.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** editors/vscode (the tests run from out/test/ inside it). */
export const EXTENSION_DIR = path.resolve(__dirname, '..', '..');
export const REPO_ROOT = path.resolve(EXTENSION_DIR, '..', '..');

/** The server under test: $ALEMBIC_LSP_BINARY, else build/server/alembic-lsp. Never skipped. */
export function serverBinary(): string {
  const binary = process.env.ALEMBIC_LSP_BINARY ?? path.join(REPO_ROOT, 'build', 'server', 'alembic-lsp');
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch {
    throw new Error(`alembic-lsp not found at ${binary}: build it or set ALEMBIC_LSP_BINARY`);
  }
  return path.resolve(binary);
}

/** A private copy of examples/<name>; returns its path. */
export function copyExample(name: string): { tmp: string; root: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-vscode-'));
  const root = path.join(tmp, name);
  fs.cpSync(path.join(REPO_ROOT, 'examples', name), root, { recursive: true });
  return { tmp, root: fs.realpathSync(root) };
}

export function fileUri(p: string): string {
  return `file://${p.split('/').map(encodeURIComponent).join('/')}`;
}

export function uriPath(uri: string): string {
  return decodeURIComponent(new URL(uri).pathname);
}
