// The real alembic-lsp, started as the extension starts it (command, arguments, stdio)
// and initialized with the capabilities VS Code's client sends for this extension, on a
// copy of examples/tangled: diagnostics, alembic/graph, and "Merge heads" end to end.

import assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, InitializeResult, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { ALEMBIC_CLIENT_CAPABILITIES, missingCapabilities } from '../src/lsp/capabilities';
import { MERGE_ACTION_KIND, MERGE_COMMAND, type MergeResult } from '../src/lsp/client';
import { GRAPH_REQUEST, type GraphResult } from '../src/lsp/graph';
import { autogenerateCommandLine, NEW_MIGRATION_ACTION_KIND, NEW_MIGRATION_COMMAND, type NewMigrationResult } from '../src/lsp/newMigration';
import { normaliseSettings, serverExecutable } from '../src/lsp/server';
import { TestClient } from './helpers/lspClient';
import { copyExample, EXTENSION_DIR, fileUri, serverBinary, uriPath } from './helpers/paths';
import { vscodeClientCapabilities } from './helpers/vscodeCapabilities';
import { applyWorkspaceEdit } from './helpers/workspaceEdit';

interface CheckEnvironment {
  name: string;
  heads: string[];
  merge_points: string[];
  revisions: Array<{ id: string; path: string; down_revisions: string[] }>;
  diagnostics: Array<{ code: string; path: string; line: number }>;
}

function check(root: string): CheckEnvironment[] {
  const run = cp.spawnSync(serverBinary(), ['check', '--format', 'json', root], { encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, `check failed (${run.status}): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { environments: CheckEnvironment[] }).environments;
}

const VERSIONS = path.join('migrations', 'versions');
const DUPLICATE_COPY = 'b9d1f3a5c7e0_add_refund_status.py';
const WRONG_PARENT = '5e8f0a2b4c6d_add_order_discounts.py';

function byCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

/** One server per test case, on a fresh copy of the tangled example. */
async function startOnTangled(): Promise<{ client: TestClient; root: string; tmp: string; init: InitializeResult }> {
  const { tmp, root } = copyExample('tangled');
  // The extension with "alembic.server.path" set to the binary under test.
  const settings = normaliseSettings({ path: serverBinary(), extraArgs: [], logLevel: 'debug' });
  const executable = serverExecutable(settings, {
    platform: process.platform, arch: process.arch, extensionPath: EXTENSION_DIR, fileExists: fs.existsSync,
  });
  const client = TestClient.start(executable, root);
  const init = await client.initialize(root, vscodeClientCapabilities());
  return { client, root, tmp, init };
}

describe('alembic-lsp as the VS Code extension starts it', () => {
  let client: TestClient;
  let root: string;
  let tmp: string;
  let init: InitializeResult;

  before(async () => {
    ({ client, root, tmp, init } = await startOnTangled());
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0, 'the server exits with 0 after shutdown + exit');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('sends the capabilities alembic-lsp relies on', () => {
    assert.deepEqual(missingCapabilities(vscodeClientCapabilities(false), ALEMBIC_CLIENT_CAPABILITIES), []);
  });

  it('announces the merge command and action kind', () => {
    assert.equal(init.serverInfo?.name, 'alembic-lsp');
    assert.ok(init.capabilities.executeCommandProvider?.commands?.includes(MERGE_COMMAND));
    const actions = init.capabilities.codeActionProvider;
    assert.ok(typeof actions === 'object' && actions.codeActionKinds?.includes(MERGE_ACTION_KIND));
    assert.equal(init.capabilities.positionEncoding ?? 'utf-16', 'utf-16');
  });

  it('asks to watch migration files (VS Code registers them dynamically)', async () => {
    const registration = await client.until('didChangeWatchedFiles registration', () =>
      client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'));
    const globs = (registration.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers.map((w) => w.globPattern);
    assert.ok(globs.includes('**/*.py'), globs.join(', '));
  });

  it('publishes duplicate-revision on the renamed copy', async () => {
    const file = path.join(root, VERSIONS, DUPLICATE_COPY);
    const diags = await client.diagnosticsOf(file, (d) => byCode(d, 'duplicate-revision').length > 0, 'duplicate-revision');
    const [dup] = byCode(diags, 'duplicate-revision');
    assert.equal(dup.range.start.line, 12, 'examples/README.md: line 13');
    assert.equal(dup.source, 'alembic');
    assert.equal(dup.severity, 1);
    assert.match(dup.message, /3a7c9e1b5d2f/);
    assert.ok(dup.relatedInformation?.some((r) => r.location.uri.endsWith('3a7c9e1b5d2f_add_refund_reason.py')));
  });

  it('publishes missing-revision where the file name was used as the id', async () => {
    const file = path.join(root, VERSIONS, WRONG_PARENT);
    const diags = await client.diagnosticsOf(file, (d) => byCode(d, 'missing-revision').length > 0, 'missing-revision');
    const [missing] = byCode(diags, 'missing-revision');
    assert.equal(missing.range.start.line, 13, 'examples/README.md: line 14');
    assert.match(missing.message, /a1b2c3d4e5f6_add_orders/);
    // Nothing is published for files Alembic ignores.
    assert.equal(client.diagnostics.get(fileUri(path.join(root, VERSIONS, '__init__.py')))?.length ?? 0, 0);
  });

  it('answers alembic/graph with the same history as `alembic-lsp check`', async () => {
    const graph = await client.connection.sendRequest<GraphResult>(GRAPH_REQUEST, {});
    const expected = check(root);
    assert.deepEqual(graph.environments.map((e) => e.name).sort(), expected.map((e) => e.name).sort());
    const monolith = graph.environments.find((e) => e.name === 'migrations');
    const fromCheck = expected.find((e) => e.name === 'migrations');
    assert.ok(monolith && fromCheck);
    assert.deepEqual([...monolith.heads].sort(), [...fromCheck.heads].sort());
    assert.equal(monolith.revisions.length, fromCheck.revisions.length);
    assert.deepEqual(monolith.missing.map((m) => m.id).sort(), ['9f4e2d1c', 'a1b2c3d4e5f6_add_orders']);
    const dups = monolith.revisions.filter((r) => r.duplicate).map((r) => path.basename(r.path)).sort();
    assert.deepEqual(dups, ['3a7c9e1b5d2f_add_refund_reason.py', DUPLICATE_COPY]);
    const merge = monolith.revisions.find((r) => r.id === '8b0d2f4a6c1e');
    assert.ok(merge?.is_merge && !merge.is_head);
    // Asked about one file, the server answers with that file's environment only.
    const audit = await client.connection.sendRequest<GraphResult>(GRAPH_REQUEST, {
      uri: fileUri(path.join(root, 'services', 'audit', VERSIONS, '0a1b2c3d4e5f_create_audit_events.py')),
    });
    assert.deepEqual(audit.environments.map((e) => e.name), ['services/audit/migrations']);
  });
});

describe('"Alembic: Merge heads" against the real server', () => {
  async function mergedOutcome(root: string, client: TestClient, newFile: string): Promise<void> {
    const revision = path.basename(newFile).split('_')[0];
    // As VS Code's file watcher reports a created file.
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(newFile), type: 1 }] });
    const monolith = check(root).find((e) => e.name === 'migrations');
    assert.ok(monolith);
    // Ten distinct heads become one; the second copy of the duplicated 3a7c9e1b5d2f stays a
    // head, as in Alembic (its revision map keeps only one copy; `heads` lists both).
    assert.deepEqual([...monolith.heads].sort(), ['3a7c9e1b5d2f', revision].sort());
    assert.ok(monolith.merge_points.includes(revision));
    const parsed = monolith.revisions.find((r) => r.id === revision);
    assert.equal(parsed?.path && path.basename(parsed.path), path.basename(newFile));
    assert.deepEqual(parsed?.down_revisions, [
      '0f2a4c6e8b1d', '2023-11-02-add-tags', '3a7c9e1b5d2f', '5e8f0a2b4c6d', '7d3e9f1a2b4c',
      'a7c9e1f3b5d0', 'b3d5f7a9c1e0', 'c2e4a6b8d0f1', 'c4d5e6f7a8b9', 'e6b1c8d2f7a3',
    ]);
    // The editor hears the same from the server.
    const head = path.join(root, VERSIONS, '0f2a4c6e8b1d_backfill_ledger_balances.py');
    await client.diagnosticsOf(head, (d) => byCode(d, 'multiple-heads').length === 0, 'multiple-heads cleared on a merged head');
    const graph = await client.connection.sendRequest<GraphResult>(GRAPH_REQUEST, { uri: fileUri(newFile) });
    assert.deepEqual([...graph.environments[0].heads].sort(), ['3a7c9e1b5d2f', revision].sort());
  }

  it('executes alembic.mergeHeads; the server sends the file through workspace/applyEdit', async () => {
    const { client, root, tmp } = await startOnTangled();
    try {
      const anchor = path.join(root, VERSIONS, DUPLICATE_COPY);
      await client.diagnosticsOf(anchor, (d) => byCode(d, 'multiple-heads').length > 0, 'multiple-heads');
      const before = check(root).find((e) => e.name === 'migrations');
      assert.equal(before?.heads.length, 11);

      const edits: WorkspaceEdit[] = [];
      client.applyEdit = (edit) => {
        edits.push(edit);
        return applyWorkspaceEdit(edit);
      };
      const result = await client.connection.sendRequest<MergeResult>('workspace/executeCommand', {
        command: MERGE_COMMAND, arguments: [{ uri: fileUri(anchor) }],
      });
      assert.equal(result.appliedBy, 'client', 'VS Code can create files: the server must not write itself');
      assert.equal(edits.length, 1, 'one workspace/applyEdit, answered before the command returned');
      const create = edits[0].documentChanges?.[0];
      assert.ok(create && 'kind' in create && create.kind === 'create');
      assert.equal(path.dirname(result.path), path.join(root, VERSIONS));
      assert.match(fs.readFileSync(result.path, 'utf8'), new RegExp(`^revision = '${result.revision}'$`, 'm'));
      await mergedOutcome(root, client, result.path);
      assert.equal(await client.shutdown(), 0);
    } finally {
      client.kill();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('offers the merge as a source action whose edit creates the file', async () => {
    const { client, root, tmp } = await startOnTangled();
    try {
      const file = path.join(root, VERSIONS, WRONG_PARENT);
      await client.diagnosticsOf(file, (d) => byCode(d, 'multiple-heads').length > 0, 'multiple-heads');
      const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: fileUri(file) },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: [MERGE_ACTION_KIND], triggerKind: 1 },
      });
      assert.deepEqual(actions.map((a) => a.kind), [MERGE_ACTION_KIND]);
      assert.equal(actions[0].title, 'Merge 10 heads into a new migration');
      const edit = actions[0].edit;
      assert.ok(edit);
      assert.deepEqual(applyWorkspaceEdit(edit), { applied: true });
      const create = edit.documentChanges?.[0];
      assert.ok(create && 'kind' in create && create.kind === 'create');
      await mergedOutcome(root, client, uriPath(create.uri));
      assert.equal(await client.shutdown(), 0);
    } finally {
      client.kill();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('"New migration" and "Autogenerate migration" as the extension runs them', () => {
  const HEAD = '5e8f0a2b4c6d';

  it('offers "New migration on head X" in a head whose edit creates the file, then shows it', async () => {
    const { client, root, tmp } = await startOnTangled();
    try {
      const file = path.join(root, VERSIONS, WRONG_PARENT);
      await client.diagnosticsOf(file, (d) => byCode(d, 'multiple-heads').length > 0, 'multiple-heads');
      const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: fileUri(file) },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: [NEW_MIGRATION_ACTION_KIND], triggerKind: 1 },
      });
      assert.deepEqual(actions.map((a) => a.title), [`New migration on head ${HEAD}`]);
      const edit = actions[0].edit;
      assert.ok(edit);
      assert.deepEqual(applyWorkspaceEdit(edit), { applied: true });
      const create = edit.documentChanges?.[0];
      assert.ok(create && 'kind' in create && create.kind === 'create');
      const newFile = uriPath(create.uri);
      assert.match(fs.readFileSync(newFile, 'utf8'), new RegExp(`^down_revision = '${HEAD}'$`, 'm'));
      const command = actions[0].command;
      assert.ok(command);
      await client.connection.sendRequest('workspace/executeCommand', { command: command.command, arguments: command.arguments });
      await client.until('window/showDocument', () => (client.shown.length > 0 ? true : undefined));
      assert.deepEqual(client.shown, [create.uri]);
      const env = check(root).find((e) => e.name === 'migrations');
      const revision = path.basename(newFile).split('_')[0];
      assert.ok(env?.heads.includes(revision) && !env.heads.includes(HEAD), 'the new file is the head of that branch');
      assert.equal(await client.shutdown(), 0);
    } finally {
      client.kill();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('executes alembic.newMigration on the chosen head, through workspace/applyEdit, then shows it', async () => {
    const { client, root, tmp } = await startOnTangled();
    try {
      const anchor = path.join(root, VERSIONS, DUPLICATE_COPY);
      await client.diagnosticsOf(anchor, (d) => byCode(d, 'multiple-heads').length > 0, 'multiple-heads');
      client.applyEdit = (edit) => applyWorkspaceEdit(edit);
      await assert.rejects(
        client.connection.sendRequest('workspace/executeCommand', { command: NEW_MIGRATION_COMMAND, arguments: [{ uri: fileUri(anchor), message: 'x' }] }),
        (e: Error) => e.message.includes('heads') && e.message.includes(HEAD),
      );
      const result = await client.connection.sendRequest<NewMigrationResult>('workspace/executeCommand', {
        command: NEW_MIGRATION_COMMAND, arguments: [{ uri: fileUri(anchor), head: HEAD, message: 'add refunds table' }],
      });
      assert.equal(result.appliedBy, 'client');
      assert.equal(result.parent, HEAD);
      assert.ok(result.path.endsWith('_add_refunds_table.py'), result.path);
      const text = fs.readFileSync(result.path, 'utf8');
      assert.ok(text.startsWith('"""add refunds table\n'), text.slice(0, 80));
      await client.until('window/showDocument', () => (client.shown.length > 0 ? true : undefined));
      assert.deepEqual(client.shown, [result.uri]);
      assert.equal(await client.shutdown(), 0);
    } finally {
      client.kill();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('runs the real `alembic revision --autogenerate` with the command line it builds', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-lsp-autogen-'));
    try {
      const init = cp.spawnSync('alembic', ['init', 'migrations'], { cwd: tmp, encoding: 'utf8' });
      assert.equal(init.status, 0, init.stderr);
      const ini = path.join(tmp, 'alembic.ini');
      fs.writeFileSync(ini, fs.readFileSync(ini, 'utf8').replace(/^sqlalchemy\.url = .*$/m, 'sqlalchemy.url = sqlite:///app.db'));
      // Autogenerate needs the models' MetaData: an empty one (nothing to compare) here.
      const envPy = path.join(tmp, 'migrations', 'env.py');
      fs.writeFileSync(envPy, fs.readFileSync(envPy, 'utf8').replace(/^target_metadata = None$/m, 'from sqlalchemy import MetaData\ntarget_metadata = MetaData()'));
      const line = autogenerateCommandLine('alembic', "add 'users' table");
      const run = cp.spawnSync('sh', ['-c', line], { cwd: tmp, encoding: 'utf8' });
      assert.equal(run.status, 0, `${line}: ${run.stderr}`);
      const created = fs.readdirSync(path.join(tmp, 'migrations', 'versions')).filter((f) => f.endsWith('.py'));
      assert.equal(created.length, 1);
      assert.ok(created[0].endsWith('_add_users_table.py'), created[0]);
      const text = fs.readFileSync(path.join(tmp, 'migrations', 'versions', created[0]), 'utf8');
      assert.ok(text.startsWith('"""add \'users\' table\n'), text.slice(0, 80));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
