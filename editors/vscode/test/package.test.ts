// scripts/package.sh builds a .vsix holding the manifest, the bundles and a working
// server binary, and nothing else (no sources, no node_modules).

import assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EXTENSION_DIR, REPO_ROOT, serverBinary } from './helpers/paths';

interface Manifest {
  main: string;
  version: string;
  contributes: { commands: Array<{ command: string }>; configuration: { properties: Record<string, unknown> } };
}

function unzip(args: string[]): string {
  const run = cp.spawnSync('unzip', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(run.status, 0, `unzip ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

describe('scripts/package.sh', () => {
  it('writes a .vsix with the manifest, the bundles and the server', () => {
    const version = (JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, 'package.json'), 'utf8')) as Manifest).version;
    const vsix = path.join(REPO_ROOT, 'build', `alembic-lsp-${version}.vsix`);
    fs.mkdirSync(path.dirname(vsix), { recursive: true });
    fs.rmSync(vsix, { force: true });
    const run = cp.spawnSync('sh', [path.join(EXTENSION_DIR, 'scripts', 'package.sh'), serverBinary(), vsix], {
      encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(run.status, 0, `package.sh failed:\n${run.stdout}\n${run.stderr}`);
    console.log(`vsix: ${vsix}`);

    const listing = unzip(['-Z1', vsix]).split('\n').filter(Boolean).sort();
    assert.deepEqual(listing, [
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/LICENSE.txt', // the repository's MIT LICENSE (vsce renames it)
      'extension/dist/extension.js',
      'extension/dist/webview/graph.css',
      'extension/dist/webview/graph.js',
      'extension/package.json',
      'extension/readme.md', // vsce's spelling
      'extension/server/linux-x64/alembic-lsp',
      // The rule pages diagnostics link to (codeDescription.href), one per finding code.
      ...fs.readdirSync(path.join(REPO_ROOT, 'docs', 'rules')).filter((f) => f.endsWith('.md'))
        .map((f) => `extension/server/rules/${f}`),
    ].sort());
    const manifest = JSON.parse(unzip(['-p', vsix, 'extension/package.json'])) as Manifest;
    assert.equal(manifest.main, './dist/extension.js');
    assert.equal((manifest as unknown as { license: string }).license, 'MIT');
    assert.match(unzip(['-p', vsix, 'extension/LICENSE.txt']), /^MIT License/);
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), [
      'alembic.autogenerateMigration', 'alembic.downgradeToHere', 'alembic.mergeHeadsInteractive',
      'alembic.migrations.clearFilter', 'alembic.migrations.filter', 'alembic.migrations.refresh',
      'alembic.newMigrationInteractive', 'alembic.restartServer', 'alembic.showCurrent',
      'alembic.showGraph', 'alembic.showHeads', 'alembic.stamp', 'alembic.upgradeToHere',
    ]);
    // The migrations view in the Explorer (src/migrationsView.ts).
    const views = (manifest.contributes as unknown as { views: Record<string, Array<{ id: string }>> }).views;
    assert.deepEqual(views.explorer.map((v) => v.id), ['alembic.migrations']);
    assert.deepEqual(Object.keys(manifest.contributes.configuration.properties).sort(), [
      'alembic.command', 'alembic.server.extraArgs', 'alembic.server.logLevel', 'alembic.server.path', 'alembic.trace.server',
    ]);
    // The bundle must not need anything from node_modules but `vscode` itself.
    const bundle = unzip(['-p', vsix, 'extension/dist/extension.js']);
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    const builtin = new Set(['vscode', ...cp.spawnSync('node', ['-p', 'require("module").builtinModules.join(" ")'], { encoding: 'utf8' }).stdout.trim().split(' ')]);
    assert.deepEqual(required.filter((r) => !builtin.has(r.replace(/^node:/, ''))), []);

    // The bundled server is executable and runs.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-vsix-'));
    try {
      unzip(['-q', vsix, 'extension/server/linux-x64/alembic-lsp', '-d', dir]);
      const server = path.join(dir, 'extension', 'server', 'linux-x64', 'alembic-lsp');
      assert.ok((fs.statSync(server).mode & 0o111) !== 0, 'the server keeps its executable bit');
      const versionRun = cp.spawnSync(server, ['--version'], { encoding: 'utf8' });
      assert.equal(versionRun.status, 0);
      assert.match(versionRun.stdout, /^alembic-lsp /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
