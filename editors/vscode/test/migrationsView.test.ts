// The migrations view's content: `alembic/migrations` from the real server on copies of
// examples/clean and examples/tangled, and what the tree makes of it (src/lsp/migrationsView.ts:
// heads, the parents a head opens onto, markers, icons, the filter). The tree itself in
// VS Code's Explorer is checked in real VS Code (tests/editors-vscode/real/vscode.test.mjs).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  description,
  headNodes,
  iconOf,
  markers,
  matchesFilter,
  MIGRATIONS_REQUEST,
  parentNodes,
  worstSeverity,
  type MigrationNode,
  type MigrationsResult,
} from '../src/lsp/migrationsView';
import { normaliseSettings, serverExecutable } from '../src/lsp/server';
import { TestClient } from './helpers/lspClient';
import { copyExample, EXTENSION_DIR, serverBinary } from './helpers/paths';
import { vscodeClientCapabilities } from './helpers/vscodeCapabilities';

async function start(example: string): Promise<{ client: TestClient; root: string; tmp: string }> {
  const { tmp, root } = copyExample(example);
  const executable = serverExecutable(normaliseSettings({ path: serverBinary() }), {
    platform: process.platform, arch: process.arch, extensionPath: EXTENSION_DIR, fileExists: fs.existsSync,
  });
  const client = TestClient.start(executable, root);
  await client.initialize(root, vscodeClientCapabilities());
  return { client, root, tmp };
}

/** The answer once the first index is installed (asked again meanwhile; 60 s is only a hang guard). */
async function migrations(client: TestClient): Promise<MigrationsResult> {
  const started = Date.now();
  for (;;) {
    const r = await client.connection.sendRequest<MigrationsResult>(MIGRATIONS_REQUEST, {});
    if (r.indexed) return r;
    assert.ok(Date.now() - started < 60000, 'the server never finished indexing');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const node = (over: Partial<MigrationNode>): MigrationNode => ({
  id: 'abc123', message: 'add users\n\nlong text', path: '/p/abc123_add_users.py', uri: 'file:///p/abc123_add_users.py', line: 13,
  kinds: [], branch_labels: [], parents: [], children: [], depends_on: [], problems: [], ...over,
});

describe('the migrations view without a server', () => {
  it('filters by parts of the id and words of the message, every word', () => {
    const n = node({});
    for (const f of ['', 'abc', 'ABC1', 'users', 'add users', '  users   abc ']) assert.ok(matchesFilter(n, f), f);
    for (const f of ['xyz', 'add orders', 'abc zzz']) assert.ok(!matchesFilter(n, f), f);
  });
  it('marks the kinds, the labels and the database\'s current revision', () => {
    const n = node({ kinds: ['head', 'merge'], branch_labels: ['billing'] });
    assert.deepEqual(markers(n, true), ['current', 'head', 'merge point', '(billing)']);
    assert.equal(description(n, false), 'head · merge point · (billing) — add users');
    assert.equal(description(node({}), false), 'add users');
  });
  it('shows the worst problem first, then current, then the kind', () => {
    const warning = { code: 'header-mismatch', severity: 'warning' as const, message: 'm', line: 4 };
    const error = { code: 'missing-revision', severity: 'error' as const, message: 'm', line: 14 };
    assert.equal(worstSeverity([warning, error]), 'error');
    assert.equal(iconOf(node({ problems: [warning, error], kinds: ['merge'] }), true), 'error');
    assert.equal(iconOf(node({ problems: [warning] }), true), 'warning');
    assert.equal(iconOf(node({ kinds: ['merge'] }), true), 'database');
    assert.equal(iconOf(node({ kinds: ['merge', 'head'] }), false), 'git-merge');
    assert.equal(iconOf(node({ kinds: ['branch-point'] }), false), 'repo-forked');
    assert.equal(iconOf(node({}), false), 'git-commit');
  });
});

describe('the migrations view on examples/clean', () => {
  let client: TestClient;
  let tmp: string;
  before(async () => {
    ({ client, tmp } = await start('clean'));
  });
  after(async () => {
    await client.shutdown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('one head, opening onto its parents down to the base through the merge', async () => {
    const [env] = (await migrations(client)).environments;
    const heads = headNodes(env);
    assert.deepEqual(heads.map((h) => h.id), ['c19f6b2a8e3d']);
    const merge = parentNodes(env, heads[0]);
    assert.deepEqual(merge.map((m) => m.id), ['47a0e5d3b9c6']);
    assert.ok(merge[0].kinds.includes('merge'));
    assert.deepEqual(parentNodes(env, merge[0]).map((m) => m.id).sort(), ['6d9a1f4e2c85', 'e2c7b8046a1d']);
    // Walking parents from the head reaches every revision and ends at the base.
    const seen = new Set<string>();
    const walk = (n: MigrationNode): void => {
      seen.add(n.id);
      for (const p of parentNodes(env, n)) walk(p);
    };
    walk(heads[0]);
    assert.equal(seen.size, env.revisions.length);
    assert.equal(env.revisions[0].id, '3f2b9c1d7a4e');
    assert.ok(env.revisions[0].kinds.includes('base'));
    assert.ok(env.revisions.find((r) => r.id === 'b5e07a3c9f12')?.kinds.includes('branch-point'));
    const file = fs.readFileSync(heads[0].path, 'utf8').split('\n');
    assert.match(file[heads[0].line - 1], /^revision = 'c19f6b2a8e3d'/);
  });
});

describe('the migrations view on examples/tangled', () => {
  let client: TestClient;
  let tmp: string;
  before(async () => {
    ({ client, tmp } = await start('tangled'));
  });
  after(async () => {
    await client.shutdown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('both environments, the problems on their revisions, the filter', async () => {
    const result = await migrations(client);
    assert.deepEqual(result.environments.map((e) => e.name).sort(), ['migrations', 'services/audit/migrations']);
    const env = result.environments.find((e) => e.name === 'migrations');
    assert.ok(env);
    assert.equal(env.heads.length, 11);
    assert.equal(headNodes(env).length, 11);
    const discounts = env.revisions.find((r) => r.id === '5e8f0a2b4c6d');
    assert.ok(discounts);
    assert.equal(iconOf(discounts, false), 'error');
    assert.ok(discounts.problems.some((p) => p.code === 'missing-revision' && p.line === 14));
    // Its parent is missing: the head opens onto nothing, and the environment lists it.
    assert.deepEqual(parentNodes(env, discounts), []);
    assert.ok(env.missing.some((m) => m.id === 'a1b2c3d4e5f6_add_orders'));
    const header = env.revisions.find((r) => r.id === '6a8c0e2f4b1d');
    assert.equal(header && worstSeverity(header.problems), 'warning');
    assert.deepEqual(env.problems.map((p) => `${path.basename(p.path)} ${p.code}`), ['migration_utils.py not-a-migration']);
    const refunds = env.revisions.filter((r) => matchesFilter(r, 'refund'));
    assert.deepEqual(refunds.map((r) => r.id).sort(), ['3a7c9e1b5d2f', '3a7c9e1b5d2f', 'd8a0c2e4f6b1']);
  });
});
