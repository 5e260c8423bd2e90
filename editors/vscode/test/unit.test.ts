// The extension's logic that needs neither VS Code nor the server: how the server is
// started, project detection, the heads helpers, the graph page and the graph layout.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alembicCommandLine, parseCurrent, shellQuote } from '../src/lsp/alembicCommand';
import { ALEMBIC_CLIENT_CAPABILITIES, mergeCapabilities, missingCapabilities } from '../src/lsp/capabilities';
import { hasToolAlembic, looksLikeMigration } from '../src/lsp/detect';
import { activeEnvironment, headCount, headsLabel } from '../src/lsp/graph';
import { expandServerPath, normaliseSettings, serverExecutable, spawnArguments, startFailureHint } from '../src/lsp/server';
import { graphHtml } from '../src/webview/html';
import { layoutEnvironment, type Layout } from '../src/webview/layout';
import { chain, environment } from './helpers/history';
import { vscodeClientCapabilities } from './helpers/vscodeCapabilities';

const host = (platform: string, arch: string, present: string[] = []) => ({
  platform, arch, extensionPath: '/ext', fileExists: (f: string) => present.includes(f),
});

describe('server command', () => {
  const settings = normaliseSettings({});
  it('uses the bundled binary on linux-x64 when it is there', () => {
    const exe = serverExecutable(settings, host('linux', 'x64', ['/ext/server/linux-x64/alembic-lsp']));
    assert.equal(exe.command, '/ext/server/linux-x64/alembic-lsp');
    assert.equal(exe.origin, 'bundled');
    assert.deepEqual(spawnArguments(exe), ['--log-level', 'info', '--stdio']);
  });
  it('falls back to PATH elsewhere or when the binary is missing', () => {
    assert.equal(serverExecutable(settings, host('darwin', 'arm64', ['/ext/server/linux-x64/alembic-lsp'])).command, 'alembic-lsp');
    assert.equal(serverExecutable(settings, host('linux', 'x64')).origin, 'path');
  });
  it('uses alembic-lsp.exe on win32-x64 and the Linux binaries nowhere on Windows', () => {
    const all = ['/ext/server/linux-x64/alembic-lsp', '/ext/server/win32-x64/alembic-lsp.exe'];
    const exe = serverExecutable(settings, host('win32', 'x64', all));
    assert.equal(exe.command, '/ext/server/win32-x64/alembic-lsp.exe');
    assert.equal(exe.origin, 'bundled');
    const linuxOnly = serverExecutable(settings, host('win32', 'x64', ['/ext/server/linux-x64/alembic-lsp']));
    assert.equal(linuxOnly.origin, 'path');
    assert.deepEqual(linuxOnly.foreignBundle, ['linux-x64']);
    // A binary without .exe in the win32 directory is not what a win32-x64 .vsix carries.
    assert.equal(serverExecutable(settings, host('win32', 'x64', ['/ext/server/win32-x64/alembic-lsp'])).origin, 'path');
    assert.equal(serverExecutable(settings, host('linux', 'x64', ['/ext/server/win32-x64/alembic-lsp.exe'])).origin, 'path');
  });

  it('uses the linux-arm64 binary on linux-arm64 and never a binary bundled for another target', () => {
    const both = ['/ext/server/linux-x64/alembic-lsp', '/ext/server/linux-arm64/alembic-lsp'];
    assert.equal(serverExecutable(settings, host('linux', 'arm64', both)).command, '/ext/server/linux-arm64/alembic-lsp');
    const wrong = serverExecutable(settings, host('linux', 'arm64', ['/ext/server/linux-x64/alembic-lsp']));
    assert.equal(wrong.command, 'alembic-lsp');
    assert.equal(wrong.origin, 'path');
    assert.deepEqual(wrong.foreignBundle, ['linux-x64']);
    const hint = startFailureHint(wrong);
    assert.match(hint, /carries the server for linux-x64, and this machine is linux-arm64: install the extension built for linux-arm64/);
    assert.match(hint, /alembic\.server\.path/);
  });
  it('says how to fix a missing server in one line (universal .vsix, nothing on PATH)', () => {
    const universal = serverExecutable(settings, host('linux', 'x64'));
    assert.equal(universal.foreignBundle, undefined);
    const hint = startFailureHint(universal);
    assert.match(hint, /Install alembic-lsp on PATH \(pip install alembic-lsp.*\) or set "alembic\.server\.path"\./);
    assert.doesNotMatch(hint, /\n/);
    assert.equal(startFailureHint(serverExecutable(normaliseSettings({ path: '/x' }), host('linux', 'x64'))),
      ' Check "alembic.server.path".');
  });
  it('prefers alembic.server.path and passes log level and extra arguments', () => {
    const exe = serverExecutable(
      normaliseSettings({ path: ' /opt/alembic-lsp ', extraArgs: ['--log-file', '/tmp/l', 3], logLevel: 'debug' }),
      host('linux', 'x64', ['/ext/server/linux-x64/alembic-lsp']),
    );
    assert.equal(exe.command, '/opt/alembic-lsp');
    assert.deepEqual(spawnArguments(exe), ['--log-level', 'debug', '--log-file', '/tmp/l', '--stdio']);
  });
  it('replaces an unknown log level by info and expands ~ and ${workspaceFolder}', () => {
    assert.equal(normaliseSettings({ logLevel: 'loud' }).logLevel, 'info');
    assert.equal(expandServerPath('~/bin/alembic-lsp', '/home/u'), '/home/u/bin/alembic-lsp');
    assert.equal(expandServerPath('${workspaceFolder}/build/alembic-lsp', '/h', '/w'), '/w/build/alembic-lsp');
  });
});

describe('client capabilities', () => {
  it('the pinned vscode-languageclient already sends everything the server relies on', () => {
    assert.deepEqual(missingCapabilities(vscodeClientCapabilities(false), ALEMBIC_CLIENT_CAPABILITIES), []);
  });
  it('merging adds what is missing and keeps what is there', () => {
    const caps: Record<string, unknown> = { workspace: { applyEdit: false, workspaceEdit: { resourceOperations: ['delete'] } } };
    mergeCapabilities(caps, ALEMBIC_CLIENT_CAPABILITIES as Record<string, unknown>);
    assert.deepEqual(missingCapabilities(caps, ALEMBIC_CLIENT_CAPABILITIES), []);
    assert.deepEqual((caps.workspace as { workspaceEdit: { resourceOperations: string[] } }).workspaceEdit.resourceOperations,
      ['delete', 'create', 'rename']);
    assert.deepEqual(missingCapabilities({}, { a: { b: true } }), ['a.b']);
  });
});

describe('project detection', () => {
  it('finds [tool.alembic] in pyproject.toml, not other tables', () => {
    assert.ok(hasToolAlembic('[project]\nname = "x"\n\n[tool.alembic]\nscript_location = "m"\n'));
    assert.ok(hasToolAlembic('[ tool.alembic ]  # config\n'));
    assert.ok(!hasToolAlembic('[tool.alembic-utils]\n'));
    assert.ok(!hasToolAlembic('[tool.ruff]\n# [tool.alembic]\n'));
    assert.ok(!hasToolAlembic('x = "[tool.alembic]"\n'));
  });
  it('recognises migration modules, annotated or not', () => {
    assert.ok(looksLikeMigration("revision = 'a'\ndown_revision = None\n"));
    assert.ok(looksLikeMigration("revision: str = 'a'\ndown_revision: Union[str, None] = None\n"));
    assert.ok(!looksLikeMigration("def f():\n    revision = 1\n    down_revision = 2\n"));
  });
});

describe('heads helpers', () => {
  const one = environment(chain(3), 'one');
  const two = environment([...chain(2), { id: 'b' + '0'.repeat(11), down: ['r00000000000'] }], 'two');
  it('counts heads and labels the status bar', () => {
    assert.equal(headCount(one), 1);
    assert.equal(headCount(two), 2);
    assert.equal(headsLabel(two), '$(warning) 2 heads');
    assert.equal(headsLabel(one), '$(git-commit) 1 head');
  });
  it('picks the environment of the active file, else the one with most heads', () => {
    assert.equal(activeEnvironment([one, two], one.revisions[0].path)?.name, 'one');
    assert.equal(activeEnvironment([one, two], '/elsewhere.py')?.name, 'two');
    assert.equal(activeEnvironment([]), undefined);
  });
});

describe('alembic command line', () => {
  it('runs the configured command on the revision', () => {
    assert.equal(alembicCommandLine('alembic', 'upgrade', 'abc123'), 'alembic upgrade abc123');
    assert.equal(alembicCommandLine('  uv run alembic ', 'downgrade', 'abc123'), 'uv run alembic downgrade abc123');
    assert.equal(alembicCommandLine('', 'current'), 'alembic current');
  });
  it('names the ini section with -n unless it is [alembic]', () => {
    assert.equal(alembicCommandLine('alembic', 'stamp', 'abc', 'core'), 'alembic -n core stamp abc');
    assert.equal(alembicCommandLine('alembic', 'current', undefined, 'core'), 'alembic -n core current');
    assert.equal(alembicCommandLine('alembic', 'stamp', 'abc', 'alembic'), 'alembic stamp abc');
    assert.equal(alembicCommandLine('alembic', 'stamp', 'abc', null), 'alembic stamp abc');
    assert.equal(shellQuote("my db"), "'my db'");
  });
  it('reads the revisions `alembic current` printed', () => {
    assert.deepEqual(parseCurrent('3c288d4cf73d (head)\n'), ['3c288d4cf73d']);
    assert.deepEqual(parseCurrent('a1 (head)\nb2 (effective head)\n'), ['a1', 'b2']);
    assert.deepEqual(parseCurrent('INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\n'), []);
    assert.deepEqual(parseCurrent(''), []);
  });
});

describe('graph page', () => {
  it('runs only the nonce script and loads nothing from the network', () => {
    const html = graphHtml({ script: 'vscode-resource:/g.js', style: 'vscode-resource:/g.css', cspSource: 'vscode-resource:', nonce: 'abc' });
    assert.match(html, /script-src 'nonce-abc'/);
    assert.match(html, /<script nonce="abc" src="vscode-resource:\/g.js">/);
    assert.doesNotMatch(html, /https?:/);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });
});

function keysOf(layout: Layout, kind: string): string[] {
  return layout.nodes.filter((n) => n.kind === kind).map((n) => n.key);
}

function assertLayered(layout: Layout): void {
  const byKey = new Map(layout.nodes.map((n) => [n.key, n]));
  for (const e of layout.edges) {
    const from = byKey.get(e.from);
    const to = byKey.get(e.to);
    assert.ok(from && to, `edge ${e.from} -> ${e.to} has both ends drawn`);
    if (!e.cycle) assert.ok(from.layer < to.layer, `${e.from} above ${e.to}`);
  }
  const spots = new Set(layout.nodes.map((n) => `${n.x},${n.y}`));
  assert.equal(spots.size, layout.nodes.length, 'no two nodes share a place');
}

describe('graph layout', () => {
  it('folds a linear history between base and head into one node, and unfolds it', () => {
    const env = environment(chain(10));
    const folded = layoutEnvironment(env);
    assert.equal(folded.nodes.length, 3);
    const [run] = folded.nodes.filter((n) => n.kind === 'run');
    assert.equal(run.title, '8 revisions');
    assert.equal(run.members?.length, 8);
    assert.equal(folded.collapsedRevisions, 8);
    assertLayered(folded);
    const open = layoutEnvironment(env, { expanded: new Set([run.key]) });
    assert.equal(open.nodes.length, 10);
    assert.equal(new Set(open.nodes.map((n) => n.x)).size, 1, 'a linear history is a straight line');
    assertLayered(open);
  });

  it('keeps branch points, merges, heads and search matches out of runs', () => {
    const trunk = chain(12);
    const side = chain(6, 's', trunk[3].id);
    const merge = { id: 'm00000000000', down: [trunk[11].id, side[5].id] };
    const env = environment([...trunk, ...side, merge]);
    const layout = layoutEnvironment(env);
    assertLayered(layout);
    const kinds = layout.nodes.map((n) => n.classes.join(' '));
    assert.ok(kinds.includes('branch-point') && kinds.includes('head merge') && kinds.includes('base'));
    // trunk: r0 base, r1-r2 (too short), r3 branch point, r4..r11 run; side: s0..s5 run.
    assert.deepEqual(layout.nodes.filter((n) => n.kind === 'run').map((n) => n.title).sort(), ['6 revisions', '8 revisions']);
    const searched = layoutEnvironment(env, { query: 'R00000000007' });
    assert.deepEqual(searched.matches, ['r:r00000000007@/project/migrations/versions/r00000000007_7.py']);
    assert.ok(searched.nodes.filter((n) => n.key !== searched.matches[0]).every((n) => n.classes.includes('dimmed')));
    assert.equal(searched.nodes.filter((n) => n.kind === 'run').length, 2, 'the trunk run splits around the match');
  });

  it('draws ghosts for missing parents, both copies of a duplicate, and survives cycles', () => {
    const env = environment([
      { id: 'a00000000000' },
      { id: 'b00000000000', down: ['a00000000000'], file: 'b_one.py' },
      { id: 'b00000000000', down: ['a00000000000'], file: 'b_two.py' },
      { id: 'c00000000000', down: ['a00000000000_add_orders'] },
      { id: 'x00000000000', down: ['z00000000000'] },
      { id: 'y00000000000', down: ['x00000000000'] },
      { id: 'z00000000000', down: ['y00000000000'] },
    ]);
    const layout = layoutEnvironment(env);
    assert.deepEqual(keysOf(layout, 'ghost'), ['g:a00000000000_add_orders']);
    assert.equal(layout.nodes.filter((n) => n.classes.includes('duplicate')).length, 2);
    assert.equal(layout.edges.filter((e) => e.cycle).length, 1, 'one edge closes the cycle');
    assert.equal(layout.nodes.length, 8);
    assertLayered(layout);
  });

  it('keeps thousands of revisions small on screen', () => {
    const trunk = chain(3000);
    const specs = [...trunk];
    for (let b = 1; b <= 5; b++) specs.push(...chain(200, `b${b}`, trunk[b * 500].id));
    const layout = layoutEnvironment(environment(specs));
    assertLayered(layout);
    assert.ok(layout.nodes.length < 30, `${layout.nodes.length} nodes drawn`);
    assert.equal(layout.collapsedRevisions + layout.nodes.filter((n) => n.kind !== 'run').length, 4000);
    assert.equal(layout.nodes.filter((n) => n.classes.includes('head')).length, 6);
  });
});
