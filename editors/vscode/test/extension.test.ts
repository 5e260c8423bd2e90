// The real extension bundle (dist/extension.js, vscode-languageclient inside) activated
// against the real server on a copy of examples/tangled, with a recording stand-in for
// the `vscode` module (helpers/fakeVscode.ts): the status bar, "Show heads", "Merge
// heads", the graph panel's messages and "Restart server", as a user would drive them.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { GraphMessage } from '../src/webview/protocol';
import { FakeVscode, Location, Uri, type StatusItem } from './helpers/fakeVscode';
import { copyExample, EXTENSION_DIR, serverBinary } from './helpers/paths';

interface Extension {
  activate(context: unknown): Promise<void>;
  deactivate(): Promise<void>;
}

interface ModuleWithLoad {
  _load(this: void, request: string, parent: unknown, isMain: boolean): unknown;
}

/** Polls `ready` (a hang guard, not a time limit under test). */
async function until<T>(what: string, ready: () => T | undefined, bound = 60000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = ready();
    if (v !== undefined) return v;
    if (Date.now() - started > bound) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const VERSIONS = path.join('migrations', 'versions');

describe('the extension bundle in a stand-in VS Code', () => {
  let fake: FakeVscode;
  let extension: Extension;
  let root: string;
  let tmp: string;
  let status: StatusItem;
  const subscriptions: Array<{ dispose(): unknown }> = [];

  before(async () => {
    ({ tmp, root } = copyExample('tangled'));
    fake = new FakeVscode(root, { 'alembic.server.path': serverBinary(), 'alembic.server.logLevel': 'debug' });
    const vscode = fake.module();
    const loader = Module as unknown as ModuleWithLoad;
    const original = loader._load;
    loader._load = (request, parent, isMain) => (request === 'vscode' ? vscode : original(request, parent, isMain));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    extension = require(path.join(EXTENSION_DIR, 'dist', 'extension.js')) as Extension;
    await extension.activate({ subscriptions, extensionPath: EXTENSION_DIR, extensionUri: Uri.file(EXTENSION_DIR) });
    status = await until('the heads status item', () => fake.statusItems.find((s) => s.id === 'alembic.heads'));
  });

  after(async () => {
    await extension.deactivate();
    for (const d of subscriptions) d.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('starts the server for a workspace with alembic.ini and registers the commands', () => {
    assert.equal(fake.contextKeys.get('alembic.active'), true);
    assert.match((fake.output.get('Alembic') ?? []).join('\n'), /Alembic project: found alembic\.ini/);
    for (const id of ['alembic.mergeHeadsInteractive', 'alembic.showHeads', 'alembic.showGraph', 'alembic.restartServer']) {
      assert.ok(fake.commands.has(id), id);
    }
    // vscode-languageclient registers the server's own command next to ours.
    assert.ok(fake.commands.has('alembic.mergeHeads'));
    assert.deepEqual(fake.messages.filter((m) => m.kind === 'error'), []);
  });

  it('shows the head count in red in the status bar', async () => {
    await until('11 heads in the status bar', () => (status.text === '$(warning) 11 heads' ? true : undefined));
    assert.ok(status.visible);
    assert.equal(status.backgroundColor?.id, 'statusBarItem.errorBackground');
    assert.equal(status.command, 'alembic.showHeads');
  });

  it('"Show heads" lists each environment\'s heads and opens the one picked', async () => {
    fake.pick = (items) => items.find((i) => i.label.includes('7d3e9f1a2b4c'));
    await fake.commands.get('alembic.showHeads')?.();
    const { items, title } = fake.quickPicks[fake.quickPicks.length - 1];
    assert.equal(title, 'Alembic heads (migrations: 11)');
    const separators = items.filter((i) => i.kind === -1).map((i) => i.label);
    assert.deepEqual(separators, ['migrations: 11 heads', 'services/audit/migrations: 1 head']);
    assert.equal(items.filter((i) => i.kind !== -1).length, 12);
    assert.deepEqual(fake.shown[fake.shown.length - 1], {
      path: path.join(root, VERSIONS, '7d3e9f1a2b4c_add_invoice_due_date.py'), line: 12,
    });
  });

  it('"Merge heads" writes, saves and opens the merge migration', async () => {
    const before = new Set(fs.readdirSync(path.join(root, VERSIONS)));
    await fake.commands.get('alembic.mergeHeadsInteractive')?.();
    assert.deepEqual(fake.messages.filter((m) => m.kind !== 'info'), []);
    const created = fs.readdirSync(path.join(root, VERSIONS)).filter((f) => !before.has(f));
    assert.equal(created.length, 1);
    assert.match(created[0], /^[0-9a-f]{12}_merge_heads\.py$/);
    const revision = created[0].slice(0, 12);
    const file = path.join(root, VERSIONS, created[0]);
    assert.match(fs.readFileSync(file, 'utf8'), new RegExp(`^revision = '${revision}'$`, 'm'), 'saved to disk');
    assert.equal(fake.shown[fake.shown.length - 1].path, file);
    assert.match(fake.messages[fake.messages.length - 1].text, new RegExp(`merged 10 heads into ${revision}`));
    // The duplicated 3a7c9e1b5d2f stays a head (Alembic lists both copies).
    await until('2 heads in the status bar', () => (status.text === '$(warning) 2 heads' ? true : undefined));
  });

  it('"Show revision graph" serves the page and answers its messages', async () => {
    await fake.commands.get('alembic.showGraph')?.();
    const panel = fake.panels[fake.panels.length - 1];
    assert.match(panel.html, /<script nonce="[^"]+" src="file:\/\/[^"]+\/dist\/webview\/graph\.js">/);
    panel.receive.fire({ type: 'ready' });
    const graph = await until('the graph message', () => panel.posted.find((m) => (m as GraphMessage).type === 'graph') as GraphMessage | undefined);
    assert.deepEqual(graph.environments.map((e) => e.name).sort(), ['migrations', 'services/audit/migrations']);
    assert.equal(graph.active, 'migrations', 'the active editor holds a migrations file');
    const target = graph.environments[0].revisions.find((r) => r.id === '8b0d2f4a6c1e');
    assert.ok(target);
    panel.receive.fire({ type: 'open', path: target.path, line: target.line });
    await until('the file opened', () => (fake.shown[fake.shown.length - 1]?.path === target.path ? true : undefined));
    assert.equal(fake.shown[fake.shown.length - 1].line, target.line - 1);
  });

  it('a code lens click shows the revisions it counts in the references peek', async () => {
    const peeks: unknown[][] = [];
    fake.commands.set('editor.action.showReferences', (...args: unknown[]) => { peeks.push(args); });
    // vscode-languageclient registers the server's command; a lens click runs it.
    const run = fake.commands.get('alembic.showRevisions');
    assert.ok(run, 'alembic.showRevisions is registered');
    const file = path.join(root, VERSIONS, '0007_add_invoices.py');
    const position = { line: 13, character: 11 };
    await run({ uri: Uri.file(file).toString(), revision: '0007_add_invoices', which: 'children', position });
    fake.commands.delete('editor.action.showReferences');
    assert.equal(peeks.length, 1);
    const [uri, at, locations] = peeks[0] as [Uri, { line: number; character: number }, Location[]];
    assert.equal(uri.fsPath, file);
    assert.deepEqual({ line: at.line, character: at.character }, position);
    assert.ok(locations.every((l) => l instanceof Location));
    // Each child at its `revision = ...` line (0-based).
    assert.deepEqual(locations.map((l) => [path.basename(l.uri.fsPath), l.range.start.line]).sort(), [
      ['2b6d8f0a1c3e_add_invoice_number_sequence.py', 14], ['f0e1d2c3b4a5_add_invoice_pdf_path.py', 12],
    ]);
  });

  it('"Restart server" brings the server back', async () => {
    status.text = '';
    await fake.commands.get('alembic.restartServer')?.();
    await until('the status bar after restart', () => (status.text === '$(warning) 2 heads' ? true : undefined));
    assert.deepEqual(fake.messages.filter((m) => m.kind === 'error'), []);
  });
});
