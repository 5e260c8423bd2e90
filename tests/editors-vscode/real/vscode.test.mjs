// The extension in real VS Code: the packaged .vsix installed into code-server 4.100.3
// (VS Code 1.100.3), a fresh copy of examples/ opened as the folder in headless Chromium,
// and what a person sees checked against `alembic-lsp check` of the same files.
//   node vscode.test.mjs REPO_ROOT CODE_SERVER_INSTALL VSIX SERVER WORKDIR
// Screenshots (Problems panel, graph, any failure) go to WORKDIR. Exit 1 on any failure.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeServer, launchBrowser, loadPlaywright } from './codeserver.mjs';
import { MigrationsView } from './migrationsView.mjs';
import { Checks, HEADS_ITEM, Workbench, assert, waitFor } from './workbench.mjs';

const [root, install, vsix, server, work] = process.argv.slice(2);
if (!work) {
  console.error('usage: vscode.test.mjs REPO_ROOT CODE_SERVER_INSTALL VSIX SERVER WORKDIR');
  process.exit(2);
}
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const folder = path.join(work, 'examples');
fs.cpSync(path.join(root, 'examples'), folder, { recursive: true });
const tangled = path.join(folder, 'tangled', 'migrations', 'versions');

// A real Alembic project on SQLite (Debian's alembic), made by `alembic init` and
// `alembic revision` (tests/editors/alembic-project.sh, as for Neovim and Emacs), with a
// second ini section [reports] that Alembic reaches only with `-n reports`.
const shop = path.join(folder, 'sqlite-shop');
const made = execFileSync('sh', [path.join(root, 'tests', 'editors', 'alembic-project.sh'), shop], { encoding: 'utf8' });
const shopRevisions = made.trim().split('\n').map((line) => {
  const [label, id, file] = line.split(' ');
  return { label, id, name: path.basename(file) };
});
/** The database's alembic_version rows (none before the first upgrade). */
function dbVersion(name = 'shop.db') {
  const db = path.join(shop, name);
  if (!fs.existsSync(db)) return '';
  return execFileSync('/usr/bin/python3', ['-c',
    'import sqlite3,sys\ntry:\n print(",".join(r[0] for r in sqlite3.connect(sys.argv[1]).execute("select version_num from alembic_version")))\nexcept sqlite3.OperationalError:\n print("")',
    db], { encoding: 'utf8' }).trim();
}
const versionsBefore = new Set(fs.readdirSync(tangled));

/** `alembic-lsp check --format json` of the folder as it is on disk now. */
function cliReport() {
  let out;
  try {
    out = execFileSync(server, ['check', '--format', 'json', '--no-history', '.'], { cwd: folder, encoding: 'utf8' });
  } catch (e) {
    out = e.stdout; // exit 1: error findings
  }
  return JSON.parse(out);
}
function cliFindings(report) {
  return report.environments.flatMap((env) => env.diagnostics.map((d) => ({
    severity: d.severity, code: d.code, file: path.normalize(d.path), line: d.line, column: d.column,
    summary: d.summary,
  })));
}
const key = (f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.code}`;
const counter = (fs_) => {
  const errors = fs_.filter((f) => f.severity === 'error').length;
  const warnings = fs_.filter((f) => f.severity === 'warning').length;
  return `Errors: ${errors}, Warnings: ${warnings}`;
};

/** The Problems panel's rows as findings (file relative to the folder, 1-based positions). */
function panelFindings(rows) {
  return rows.map((r) => {
    const at = /^(.*)\[Ln (\d+), Col (\d+)\]$/.exec(r.file);
    return {
      severity: r.severity, code: r.code.replace(/^alembic\(?|\)$/g, ''), message: r.message, codeLink: r.codeLink,
      file: at ? path.normalize(at[1]) : r.file, line: at ? Number(at[2]) : -1, column: at ? Number(at[3]) : -1,
    };
  });
}
function sameFindings(panel, cli) {
  const a = panel.map(key).sort();
  const b = cli.map(key).sort();
  assert.deepEqual(a, b, 'the Problems panel differs from `alembic-lsp check`');
  assert.equal(new Set(a).size, a.length, 'a finding is listed twice');
}

/** The server processes the extension started (the .vsix's binary, by its path). */
function serverPids(extensionsDir) {
  const pids = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/exe`).startsWith(extensionsDir)) pids.push(Number(pid));
    } catch { /* not ours or gone */ }
  }
  return pids;
}

const vscode = new CodeServer(install, path.join(work, 'code-server'));
console.log(vscode.installExtension(vsix).trim());
vscode.writeSettings({
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'problems.defaultViewMode': 'table',
  'git.openRepositoryInParentFolders': 'never',
  'extensions.ignoreRecommendations': true,
  // The terminal's DOM renderer: its text can be read.
  'terminal.integrated.gpuAcceleration': 'off',
});
const started = Date.now();
await vscode.start();
const browser = await launchBrowser(loadPlaywright(root), path.join(work, 'chromium'));
const page = browser.pages()[0] ?? await browser.newPage();
const wb = new Workbench(page);
const checks = new Checks(async (slug) => {
  await page.screenshot({ path: path.join(work, `vscode-failure-${slug}.png`) });
  fs.writeFileSync(path.join(work, `vscode-failure-${slug}.html`), await page.content());
  await page.keyboard.press('Escape');
});
const expected = cliFindings(cliReport());

try {
  await page.goto(vscode.url(folder));
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });

  await checks.check('status bar: the head count of the environment with most heads (no editor open)', async () => {
    await waitFor('"11 heads" in the status bar', async () => (await wb.headsText())?.endsWith('11 heads'), 60000);
    const tip = await page.locator(HEADS_ITEM).getAttribute('aria-label');
    assert.match(tip, /tangled\/migrations/);
  });

  await checks.check('Problems panel: every finding of `alembic-lsp check`, right files, lines, codes, counts', async () => {
    await waitFor(`the counter "${counter(expected)}"`, async () => (await wb.problemsCounter()) === counter(expected), 30000);
    const panel = panelFindings(await wb.problems());
    sameFindings(panel, expected);
    // Issue #18 part 3: each row starts with the finding's short first sentence, and its
    // code links the rule page (codeDescription).
    const summaries = new Map(expected.map((f) => [key(f), f.summary]));
    for (const row of panel) {
      assert.ok(summaries.get(key(row)).length < 100, `a long first sentence: ${summaries.get(key(row))}`);
      assert.ok(row.message.startsWith(summaries.get(key(row))), `row ${key(row)} reads "${row.message}"`);
      assert.ok(row.codeLink, `the code of ${key(row)} links no rule page`);
    }
    await page.screenshot({ path: path.join(work, 'vscode-problems.png') });
    await wb.restorePanel();
  });

  // Issue #21 part 2: the migrations view in the Explorer.
  const view = new MigrationsView(page, wb);
  const envRows = async () => (await view.rows()).filter((r) => r.level === 1)
    .map((r) => `${r.label}: ${r.description.split(',')[0]}`).sort();
  const envWanted = () => cliReport().environments
    .map((e) => `${e.name}: ${e.heads.length} ${e.heads.length === 1 ? 'head' : 'heads'}`).sort();
  await checks.check('migrations view: every environment of `alembic-lsp check`, with its head count', async () => {
    await view.focus();
    // One head id as the filter: every environment's row and groups fit on the screen.
    await view.filter('c19f6b2a8e3d');
    const want = envWanted();
    assert.ok(want.length >= 4, `expected the examples' environments, got ${want}`);
    await waitFor(`the environments ${want.join('; ')}`, async () => JSON.stringify(await envRows()) === JSON.stringify(want), 30000);
    // Without a filter (histories folded): the tangled monolith's heads, as check lists them.
    await view.filter('');
    const heads = cliReport().environments.find((e) => e.name === 'tangled/migrations').heads.slice().sort();
    await waitFor(`the heads ${heads.join(' ')} under tangled/migrations`, async () => {
      const rows = await view.rows();
      const env = rows.findIndex((r) => r.level === 1 && r.label === 'tangled/migrations');
      const group = rows.findIndex((r, i) => i > env && r.level === 2 && r.label === 'Heads');
      if (env < 0 || group < 0) return false;
      const shown = [];
      for (let i = group + 1; i < rows.length && rows[i].level === 3; i++) shown.push(rows[i].label);
      return JSON.stringify(shown.sort()) === JSON.stringify(heads);
    }, 30000);
    await view.filter('c19f6b2a8e3d');
  });

  await checks.check('migrations view: the head of examples/clean; a click opens its file at the revision line', async () => {
    const head = await waitFor('c19f6b2a8e3d under clean/migrations', async () => view.rowUnder('clean/migrations', 'c19f6b2a8e3d'), 15000);
    assert.match(head.description, /^head — create shipping addresses$/);
    await page.screenshot({ path: path.join(work, 'vscode-migrations.png') });
    await view.click(head.index);
    await waitFor('its file in the active tab', async () => (await wb.activeTab()) === 'c19f6b2a8e3d_create_shipping_addresses.py', 15000);
    await waitFor('the cursor on line 13', async () => (await wb.cursorStatus())?.startsWith('Ln 13,'), 5000);
  });

  await checks.check('migrations view: merges marked, problems on the nodes (icon, tooltip), the filter by message words', async () => {
    await view.focus();
    await view.filter('merge currency');
    const merge = await waitFor('8b0d2f4a6c1e under tangled/migrations', async () => view.rowUnder('tangled/migrations', '8b0d2f4a6c1e'), 15000);
    assert.match(merge.description, /^merge point · branch point — merge currency and pdf path/);
    assert.match(merge.icon, /codicon-git-merge/);
    await view.filter('discounts');
    const row = await waitFor('5e8f0a2b4c6d under tangled/migrations', async () => view.rowUnder('tangled/migrations', '5e8f0a2b4c6d'), 15000);
    assert.match(row.icon, /codicon-error/);
    assert.match(row.description, /^head — add order discounts/);
    const rows = await view.rows();
    assert.ok(!rows.some((r) => r.label === 'c19f6b2a8e3d'), 'the filter left other revisions in the tree');
    const tip = await view.hoverText(row.index);
    assert.match(tip, /missing-revision/);
    assert.match(tip, /multiple-heads/);
    await page.keyboard.press('Escape');
  });

  // Issue #18 part 2: a file of a single-head environment is open.
  await checks.check('status bar with a file of a single-head environment open: 1 head', async () => {
    await wb.openFile('47a0e5d3b9c6_merge_email_verification_and_order_.py');
    await waitFor('"1 head"', async () => (await wb.headsText())?.endsWith('1 head'), 20000);
  });

  await checks.check('Show heads lists every environment, the open file\'s first', async () => {
    await wb.command('Alembic: Show heads');
    const title = await waitFor('the quick pick title', async () => {
      const t = await page.locator('.quick-input-title').textContent();
      return /Alembic heads/.test(t) && t;
    }, 15000);
    assert.match(title, /clean\/migrations: 1\)/);
    const list = page.locator('.quick-input-list');
    const text = await list.textContent();
    assert.ok(/^\s*c19f6b2a8e3d/.test(text), `the open environment's head is not first: ${text.slice(0, 200)}`);
    assert.ok(text.includes('tangled/migrations: 11 heads'), `the tangled environment is missing: ${text.slice(0, 400)}`);
    // The list is virtualized: filter it down to the audit service's head.
    await page.locator('.quick-input-widget input').fill('0a1b2c3d4e5f');
    await waitFor('the audit service\'s head', async () => /0a1b2c3d4e5f.*tangled\/services\/audit\/migrations/.test(await list.textContent()), 10000);
    await page.keyboard.press('Escape');
  });

  await checks.check('inlay hints: the parents\' messages after down_revision', async () => {
    const line = page.locator('.editor-instance .view-line', { hasText: 'down_revision' }).first();
    // The editor renders spaces as no-break spaces; each hint follows the id it describes.
    const text = async () => (await line.textContent()).replace(/[\u00a0\u200b-\u200d\ufeff]/g, ' ');
    await waitFor('inlay hints', async () => (await text()).includes('add email_verified to users'), 15000);
    const t = await text();
    const order = ['6d9a1f4e2c85', 'add email_verified to users', 'e2c7b8046a1d', 'add status index'].map((s) => t.indexOf(s));
    assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])), `hints out of place: ${t}`);
  });

  await checks.check('code lens "merge of 2" opens both parents in the references peek', async () => {
    const lens = page.locator('.codelens-decoration a', { hasText: 'merge of 2' });
    await lens.waitFor({ timeout: 15000 });
    await lens.click();
    const peek = page.locator('.reference-zone-widget');
    await peek.waitFor({ timeout: 15000 });
    await waitFor('two parents in the peek', async () => {
      const t = await peek.locator('.ref-tree').textContent();
      return t.includes('6d9a1f4e2c85_add_email_verified_to_users.py') && t.includes('e2c7b8046a1d_add_status_index_to_orders.py');
    }, 10000);
    await page.keyboard.press('Escape');
  });

  await checks.check('hover on a down_revision id describes that revision', async () => {
    await wb.gotoLine(14, 20); // inside '6d9a1f4e2c85'
    await wb.command('Show or Focus Hover');
    const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents').first();
    await waitFor('the hover', async () => (await hover.textContent()).includes('add email_verified to users'), 15000);
    await page.keyboard.press('Escape');
  });

  await checks.check('go to definition (F12) on a down_revision id opens the parent at its revision line', async () => {
    await wb.gotoLine(14, 20);
    await page.keyboard.press('F12');
    await waitFor('the parent\'s file', async () => (await wb.activeTab()) === '6d9a1f4e2c85_add_email_verified_to_users.py', 15000);
    await waitFor('the cursor on line 13', async () => (await wb.cursorStatus())?.startsWith('Ln 13,'), 5000);
  });

  // Issue #18 part 2: merging from a file whose environment has one head.
  await checks.check('Merge heads with a single-head environment\'s file open merges the other environment', async () => {
    await wb.openFile('c19f6b2a8e3d_create_shipping_addresses.py');
    await waitFor('"1 head"', async () => (await wb.headsText())?.endsWith('1 head'), 20000);
    await wb.command('Alembic: Merge heads');
    const written = await waitFor('a new migration in tangled/migrations/versions', async () =>
      fs.readdirSync(tangled).find((f) => !versionsBefore.has(f) && f.endsWith('.py') && fs.statSync(path.join(tangled, f)).size > 0), 30000);
    const text = fs.readFileSync(path.join(tangled, written), 'utf8');
    assert.match(text, /down_revision/);
    assert.match(text, /7d3e9f1a2b4c/);
    const tangledEnv = () => cliReport().environments.find((e) => e.name === 'tangled/migrations');
    const heads = tangledEnv().heads.length;
    assert.ok(heads < 11, `still ${heads} heads after the merge`);
    await waitFor(`the merge file open and "${heads} head(s)" in the status bar`, async () =>
      (await wb.activeTab()) === written && (await wb.headsText())?.endsWith(`${heads} ${heads === 1 ? 'head' : 'heads'}`), 20000);
  });

  await checks.check('quick fix: the suggested id replaces a prefix in down_revision, saved, the finding gone', async () => {
    const name = 'd8a0c2e4f6b1_add_payment_refunds.py';
    const file = path.join(tangled, name);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes("'9f4e2d1c'"));
    assert.ok(at >= 0, `no '9f4e2d1c' in ${name}`);
    await wb.openFile(name);
    await wb.gotoLine(at + 1, lines[at].indexOf("'9f4e2d1c'") + 3);
    await page.keyboard.press('Control+.');
    await page.locator('.action-widget .monaco-list-row', { hasText: '9f4e2d1c0b8a' }).first().waitFor({ timeout: 15000 });
    // The action list is driven by the keyboard: down to the fix, Enter.
    const rows = await page.locator('.action-widget .monaco-list-row.action').evaluateAll((els) => els.map((e) => e.textContent));
    const index = rows.findIndex((t) => t.includes('9f4e2d1c0b8a'));
    assert.ok(index >= 0, `no fix naming 9f4e2d1c0b8a among ${JSON.stringify(rows)}`);
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+S');
    await waitFor('the fix saved to disk', async () => fs.readFileSync(file, 'utf8').includes("'9f4e2d1c0b8a'"), 10000);
    const now = cliFindings(cliReport());
    assert.ok(!now.some((f) => f.file.endsWith(name) && f.code === 'missing-revision'), 'the CLI still reports the missing revision');
    await waitFor(`the counter "${counter(now)}"`, async () => (await wb.problemsCounter()) === counter(now), 20000);
  });

  await checks.check('migrations view follows the history: after the merge, the head counts of `alembic-lsp check`', async () => {
    await view.focus();
    await view.filter('c19f6b2a8e3d');
    const want = envWanted();
    await waitFor(`the environments ${want.join('; ')}`, async () => JSON.stringify(await envRows()) === JSON.stringify(want), 30000);
  });

  await checks.check('revision graph: drawn, a node click opens its migration', async () => {
    await wb.command('Alembic: Show revision graph');
    const frame = await waitFor('the graph webview', async () => {
      for (const f of page.frames()) {
        if (await f.locator('svg .node').count().catch(() => 0)) return f;
      }
      return undefined;
    }, 30000);
    const nodes = await frame.locator('svg .node').count();
    assert.ok(nodes >= 5, `only ${nodes} nodes drawn`);
    await page.screenshot({ path: path.join(work, 'vscode-graph.png') });
    const node = frame.locator('svg .node:not(.ghost)[data-id]').first();
    const id = await node.getAttribute('data-id');
    await node.click();
    await waitFor(`a migration of ${id} in the active tab`, async () => {
      const tab = await wb.activeTab();
      return tab !== undefined && tab.endsWith('.py') && fs.readFileSync(
        execFileSync('find', [folder, '-name', tab], { encoding: 'utf8' }).trim().split('\n')[0], 'utf8').includes(`'${id}'`);
    }, 15000);
  });

  const settled = async (what) => {
    const now = cliFindings(cliReport());
    await waitFor(`${what}: the counter "${counter(now)}"`, async () => (await wb.problemsCounter()) === counter(now), 30000);
    sameFindings(panelFindings(await wb.problems()), now);
    await wb.restorePanel();
  };

  await checks.check('Alembic: Restart server: a new server, the same problems, none twice', async () => {
    const before = serverPids(vscode.extensions);
    assert.equal(before.length, 1, `expected one server, found ${before.length}`);
    await wb.command('Alembic: Restart server');
    await waitFor('a new server process', async () => {
      const now = serverPids(vscode.extensions);
      return now.length === 1 && now[0] !== before[0];
    }, 30000);
    await settled('after the restart');
  });

  await checks.check('kill -9 of the server: the extension starts another, the problems come back, none twice', async () => {
    const [pid] = serverPids(vscode.extensions);
    assert.ok(pid, 'no server running');
    process.kill(pid, 'SIGKILL');
    await waitFor('a new server process', async () => {
      const now = serverPids(vscode.extensions);
      return now.length === 1 && now[0] !== pid;
    }, 30000);
    await settled('after kill -9');
    assert.match(await wb.headsText(), /heads?$/);
  });

  // Issue #18 part 4: the project's own Alembic, run in a terminal, on the open revision.
  const [first, second] = shopRevisions;
  const runOn = async (revision, title) => {
    await wb.openFile(revision.name);
    await wb.command(title);
  };
  await checks.check('Upgrade to here runs `alembic upgrade ID` in a terminal: the database is at that revision', async () => {
    await runOn(first, 'Alembic: Upgrade to here');
    await waitFor(`alembic_version = ${first.id}`, async () => dbVersion() === first.id, 60000);
    await runOn(second, 'Alembic: Upgrade to here');
    await waitFor(`alembic_version = ${second.id}`, async () => dbVersion() === second.id, 60000);
  });
  await checks.check('Downgrade to here asks first, then runs `alembic downgrade ID`', async () => {
    await runOn(first, 'Alembic: Downgrade to here');
    const button = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Downgrade' });
    await button.waitFor({ timeout: 15000 });
    assert.equal(dbVersion(), second.id, 'downgraded before the confirmation');
    await button.click();
    await waitFor(`alembic_version = ${first.id}`, async () => dbVersion() === first.id, 60000);
  });
  await checks.check('Stamp writes the revision without running it', async () => {
    await runOn(second, 'Alembic: Stamp the database with this revision');
    await waitFor(`alembic_version = ${second.id}`, async () => dbVersion() === second.id, 60000);
  });
  await checks.check('Show current revision runs `alembic current` in the terminal: it prints the revision', async () => {
    await runOn(first, 'Alembic: Show current revision');
    const rows = page.locator('.terminal-wrapper.active .xterm-rows, .xterm-rows').first();
    await waitFor(`"${second.id} (head)" in the terminal`, async () =>
      (await rows.textContent()).replace(/\u00a0/g, ' ').includes(`${second.id} (head)`), 60000);
  });

  await checks.check('a second ini section runs with -n reports', async () => {
    const report = shopRevisions[2];
    await runOn(report, 'Alembic: Upgrade to here');
    await waitFor(`reports.db at ${report.id}`, async () => dbVersion('reports.db') === report.id, 60000);
    assert.equal(dbVersion(), second.id, 'shop.db moved');
  });

  // The graph: what `alembic current` reported is marked; its buttons run the commands on
  // the clicked revision.
  await checks.check('graph: marks the current revision, and runs Stamp / Show current from a node', async () => {
    await wb.openFile(second.name);
    await wb.command('Alembic: Show revision graph');
    const frame = await waitFor('the graph of sqlite-shop with the current mark', async () => {
      for (const f of page.frames()) {
        if (await f.locator(`svg .node.db-current[data-id="${second.id}"]`).count().catch(() => 0)) return f;
      }
      return undefined;
    }, 30000);
    await frame.locator(`svg .node[data-id="${first.id}"]`).click();
    await frame.locator('#run-stamp').click();
    await waitFor(`alembic_version = ${first.id}`, async () => dbVersion() === first.id, 60000);
    await frame.locator('#run-current').click();
    await waitFor(`the mark on ${first.id}`, async () =>
      (await frame.locator(`svg .node.db-current[data-id="${first.id}"]`).count()) === 1
      && (await frame.locator('svg .node.db-current').count()) === 1, 60000);
    await page.screenshot({ path: path.join(work, 'vscode-graph-current.png') });
  });

  await checks.check('migrations view: marks the revision `alembic current` reported', async () => {
    const env = cliReport().environments.find((e) => e.revisions.some((r) => (r.id ?? r) === first.id));
    assert.ok(env, `no environment holds ${first.id}`);
    await view.focus();
    await view.filter(first.id);
    const row = await waitFor(`${first.id} under ${env.name}, marked current`, async () => {
      const r = await view.rowUnder(env.name, first.id);
      return r?.description.startsWith('current') ? r : undefined;
    }, 30000);
    assert.match(row.icon, /codicon-database/);
    await view.filter(second.id);
    const other = await waitFor(`${second.id} under ${env.name}`, async () => view.rowUnder(env.name, second.id), 15000);
    assert.ok(!other.description.includes('current'), `${second.id} is marked too: ${other.description}`);
    await page.screenshot({ path: path.join(work, 'vscode-migrations-current.png') });
    await view.filter('');
  });

  // Issue #21 part 3: a head file for sqlite-shop's [alembic] environment, in its script
  // directory (migrations/, where `alembic init` puts env.py). Only pyproject.toml says where
  // it is, so the server asks VS Code to watch that path (registration alembic-lsp/head-files):
  // a change on disk, as `git merge` or `git checkout` makes, reaches the Problems panel with
  // no editor open on it.
  const headFile = path.join(shop, 'migrations', 'HEAD');
  const errorCount = async () => Number(/Errors: (\d+)/.exec((await wb.problemsCounter()) ?? '')?.[1] ?? -1);
  await checks.check('head file: a stale one written on disk is an error in the Problems panel; fixed on disk, it goes', async () => {
    const before = await errorCount();
    fs.writeFileSync(headFile, `# the head of migrations/\n${first.id}\n`);
    fs.writeFileSync(path.join(shop, 'pyproject.toml'), '[tool.alembic-lsp]\nhead-file = { migrations = "migrations/HEAD" }\n');
    await waitFor(`"Errors: ${before + 1}"`, async () => (await errorCount()) === before + 1, 30000);
    const rows = (await wb.problems()).filter((r) => r.code.includes('head-file-mismatch'));
    await wb.restorePanel();
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.match(rows[0].message, new RegExp(`names ${first.id} but the head is ${second.id}`));
    fs.writeFileSync(headFile, `# the head of migrations/\n${second.id}\n`);
    await waitFor(`"Errors: ${before}" again`, async () => (await errorCount()) === before, 30000);
  });

  // Issue #21 part 1: a new migration without running Alembic (the server renders the
  // project's script.py.mako), on the only head of sqlite-shop, opened once written.
  await checks.check('New migration asks for the message, writes the file on the head and opens it', async () => {
    const versions = path.join(shop, 'migrations', 'versions');
    const before = new Set(fs.readdirSync(versions));
    await wb.openFile(second.name);
    await wb.command('Alembic: New migration');
    const input = page.locator('.quick-input-widget input');
    await waitFor('the message prompt', async () =>
      /alembic revision -m/.test((await page.locator('.quick-input-widget').textContent()) ?? ''), 20000);
    await input.fill('add orders table');
    await input.press('Enter');
    const written = await waitFor('the new migration in sqlite-shop/migrations/versions', async () =>
      fs.readdirSync(versions).find((f) => !before.has(f) && f.endsWith('_add_orders_table.py')
        && fs.statSync(path.join(versions, f)).size > 0), 30000);
    const text = fs.readFileSync(path.join(versions, written), 'utf8');
    assert.match(text, new RegExp(`^down_revision = '${second.id}'$`, 'm'));
    assert.ok(text.startsWith('"""add orders table\n'), text.slice(0, 60));
    await waitFor(`${written} in the active tab`, async () => (await wb.activeTab()) === written, 20000);
    // The real Alembic loads it as the new head.
    const heads = execFileSync('alembic', ['heads'], { cwd: shop, encoding: 'utf8' });
    assert.match(heads, new RegExp(`^${written.split('_')[0]} \\(head\\)`, 'm'));
    // The same edit moved the head file to it, saved with the migration.
    await waitFor('the head file on disk naming the new migration', async () =>
      fs.readFileSync(headFile, 'utf8').split('\n').includes(written.split('_')[0]), 20000);
  });

  // Issue #23 part 2: two branches made by Alembic (`revision --head`, `--splice`) both add a
  // column to orders. The server computes branch-conflict once VS Code has been quiet a
  // moment; the Problems panel then equals `alembic-lsp check` again, the warning included,
  // and after `alembic merge heads` it is gone. sqlite-shop's head file (its own
  // pyproject.toml) is then an error of both, `check .` of the folder reading each
  // environment's settings as the server does.
  await checks.check('branch-conflict: two branches that both alter orders, in the Problems panel as check reports it; gone after alembic merge heads', async () => {
    const versions = path.join(shop, 'migrations', 'versions');
    const head = execFileSync('alembic', ['heads'], { cwd: shop, encoding: 'utf8' }).trim().split(' ')[0];
    const branch = (message, column, ...extra) => {
      const out = execFileSync('alembic', ['revision', '-m', message, '--head', head, ...extra], { cwd: shop, encoding: 'utf8' });
      const file = /Generating (\S+\.py)/.exec(out)[1];
      const text = fs.readFileSync(file, 'utf8');
      const body = text.replace(/(def upgrade\(\)[^\n]*:\n)    pass/,
        `$1    op.add_column('orders', sa.Column('${column}', sa.Integer(), nullable=True))`);
      assert.notEqual(body, text, `no upgrade() body to fill in ${file}`);
      fs.writeFileSync(file, body);
      return path.basename(file);
    };
    const left = branch('add discount', 'discount');
    const right = branch('add coupon', 'coupon', '--splice');
    await settled('two branches');
    const inShop = (r) => r.code === 'branch-conflict' && r.file.startsWith('sqlite-shop');
    const rows = panelFindings(await wb.problems()).filter(inShop);
    await wb.restorePanel();
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.match(rows[0].message, /2 branches both alter table orders/);
    assert.equal(rows[0].severity, 'warning');
    assert.ok([left, right].includes(path.basename(rows[0].file)), `${rows[0].file} is neither ${left} nor ${right}`);
    execFileSync('alembic', ['merge', 'heads', '-m', 'merge discount and coupon'], { cwd: shop });
    await settled('after alembic merge heads');
    assert.equal(panelFindings(await wb.problems()).filter(inShop).length, 0);
    await wb.restorePanel();
    assert.ok(fs.readdirSync(versions).some((f) => f.endsWith('_merge_discount_and_coupon.py')));
  });

  await checks.check('no error in the extension host log', async () => {
    const logs = vscode.extensionHostLogs();
    assert.ok(logs.length > 0, 'no extension host log found');
    const errors = logs.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => /\[error\]/.test(l)));
    assert.deepEqual(errors, []);
  });
} finally {
  if (checks.failed.length) await page.screenshot({ path: path.join(work, 'vscode-failure.png') }).catch(() => {});
  await browser.close();
  await vscode.stop();
}

console.log(`\n${checks.results.length - checks.failed.length}/${checks.results.length} checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s (screenshots in ${work})`);
process.exit(checks.failed.length ? 1 : 0);
