// The revision graph webview, as the extension serves it (same HTML, script and styles),
// in headless Chromium (Debian's /usr/bin/chromium through playwright-core; no browser is
// ever downloaded). VS Code's webview API is replaced by a recorder of posted messages.
// Fed the tangled example's graph from the real server, and a large synthetic history.

import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { GraphEnvironment } from '../src/lsp/graph';
import { graphHtml } from '../src/webview/html';
import type { FromWebview, ToWebview } from '../src/webview/protocol';
import { graphFromServer } from './helpers/graphData';
import { chain, environment } from './helpers/history';
import { copyExample, EXTENSION_DIR, REPO_ROOT } from './helpers/paths';

const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT = path.join(REPO_ROOT, 'build', 'vscode-graph.png');

declare global {
  interface Window {
    posted: FromWebview[];
  }
}

async function send(page: Page, message: ToWebview): Promise<void> {
  const before = await page.evaluate(() => Number(document.body.dataset.renders ?? '0'));
  await page.evaluate((m) => window.postMessage(m, '*'), message);
  await page.waitForFunction((n) => Number(document.body.dataset.renders ?? '0') > n, before);
}

/** Runs `act` and waits for the picture it causes to be drawn. */
async function redrawn(page: Page, act: () => Promise<void>): Promise<void> {
  const before = await page.evaluate(() => Number(document.body.dataset.renders ?? '0'));
  await act();
  await page.waitForFunction((n) => Number(document.body.dataset.renders ?? '0') > n, before);
}

const count = (page: Page, selector: string): Promise<number> => page.locator(selector).count();

describe('revision graph webview in headless Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let tmp: string;
  let profile: string;
  let envs: GraphEnvironment[];
  let monolith: GraphEnvironment;
  const consoleErrors: string[] = [];

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
    const example = copyExample('tangled');
    tmp = example.tmp;
    const graph = await graphFromServer(example.root);
    console.log(`graph data from ${graph.source}`);
    envs = graph.environments;
    const found = envs.find((e) => e.name === 'migrations');
    assert.ok(found, 'the tangled monolith environment');
    monolith = found;

    const dist = path.join(EXTENSION_DIR, 'dist', 'webview');
    const pageFile = path.join(tmp, 'graph.html');
    fs.writeFileSync(pageFile, graphHtml({
      script: pathToFileURL(path.join(dist, 'graph.js')).href,
      style: pathToFileURL(path.join(dist, 'graph.css')).href,
      cspSource: 'file:',
      nonce: crypto.randomBytes(16).toString('base64'),
    }));
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-vscode-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1500, height: 1100 },
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync',
      ],
    });
    // Nothing but the page's own files may load.
    await context.route(/^(?!file:)/, (route) => route.abort());
    await context.addInitScript(() => {
      window.posted = [];
      let state: unknown;
      (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
        postMessage: (m: FromWebview) => window.posted.push(m),
        getState: () => state,
        setState: (s: unknown) => { state = s; },
      });
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(pathToFileURL(pageFile).href);
    await page.waitForFunction(() => window.posted.some((m) => m.type === 'ready'));
    await send(page, { type: 'graph', environments: envs, active: 'migrations' });
  });

  after(async () => {
    await context?.close();
    for (const dir of [tmp, profile]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('draws every revision and every missing parent of the tangled monolith', async () => {
    assert.equal(await page.evaluate(() => document.body.dataset.environment), 'migrations');
    assert.equal(monolith.missing.length, 2);
    // Nothing in this history is a linear run long enough to fold.
    assert.equal(await count(page, 'g.node'), monolith.revisions.length + monolith.missing.length);
    assert.equal(await count(page, 'g.node.revision'), monolith.revisions.length);
    assert.equal(await count(page, 'g.node.run'), 0);
    const ghosts = await page.locator('g.node.ghost').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id')));
    assert.deepEqual(ghosts.sort(), ['9f4e2d1c', 'a1b2c3d4e5f6_add_orders']);
    assert.equal(await count(page, 'g.node.head'), monolith.revisions.filter((r) => r.is_head).length);
    assert.equal(await count(page, 'g.node.head'), 11);
    assert.deepEqual(await page.locator('g.node.merge').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id'))), ['8b0d2f4a6c1e']);
    assert.equal(await count(page, 'g.node.duplicate[data-id="3a7c9e1b5d2f"]'), 2);
    assert.equal(await count(page, 'g.node.duplicate'), 2);
    assert.equal(await count(page, 'g.node.branch-point'), 3);
    // One edge per down_revision, to each copy of a duplicated parent id or to its ghost.
    const copies = (id: string): number => monolith.revisions.filter((r) => r.id === id).length || 1;
    const downEdges = monolith.revisions.reduce((n, r) => n + r.down_revisions.reduce((m, d) => m + copies(d), 0), 0);
    assert.equal(await count(page, 'path.edge.down'), downEdges);
    // c4d5e6f7a8b9, the "merge" made with --depends-on.
    assert.equal(await count(page, 'path.edge.depends'), 2);
    assert.match((await page.locator('#summary').textContent()) ?? '', /11 heads/);
    assert.equal(await page.locator('#environment').isVisible(), true, 'two environments: a picker');
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    console.log(`screenshot: ${SCREENSHOT}`);
  });

  it('asks the extension to open the file of a clicked revision, and the referrer of a ghost', async () => {
    const target = monolith.revisions.find((r) => r.id === '8b0d2f4a6c1e');
    assert.ok(target);
    await page.evaluate(() => { window.posted = []; });
    await page.click('g.node[data-id="8b0d2f4a6c1e"]');
    await page.click('g.node.ghost[data-id="a1b2c3d4e5f6_add_orders"]');
    const referrer = monolith.revisions.find((r) => r.id === '5e8f0a2b4c6d');
    assert.ok(referrer);
    assert.deepEqual(await page.evaluate(() => window.posted), [
      { type: 'open', path: target.path, line: target.line },
      { type: 'open', path: referrer.path, line: referrer.line },
    ]);
  });

  it('runs Alembic on the picked revision from its buttons, and marks what `alembic current` reported', async () => {
    const target = monolith.revisions.find((r) => r.id === '8b0d2f4a6c1e');
    assert.ok(target);
    // 8b0d2f4a6c1e was clicked above: it is picked, outlined, and the buttons act on it.
    assert.equal(await count(page, 'g.node.selected[data-id="8b0d2f4a6c1e"]'), 1);
    assert.match((await page.locator('#selected').textContent()) ?? '', /8b0d2f4a6c1e/);
    await page.evaluate(() => { window.posted = []; });
    await page.click('#run-upgrade');
    await page.click('#run-downgrade');
    await page.click('#run-stamp');
    await page.click('#run-current');
    assert.deepEqual(await page.evaluate(() => window.posted), ['upgrade', 'downgrade', 'stamp', 'current']
      .map((action) => ({ type: 'alembic', action, id: target.id, path: target.path })));
    assert.equal(await count(page, 'g.node.db-current'), 0);
    await send(page, { type: 'graph', environments: envs, active: 'migrations', current: { migrations: ['8b0d2f4a6c1e'] } });
    assert.deepEqual(await page.locator('g.node.db-current').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id'))), ['8b0d2f4a6c1e']);
    assert.match((await page.locator('#selected').textContent()) ?? '', /database at 8b0d2f4a6c1e/);
    await send(page, { type: 'graph', environments: envs, active: 'migrations' });
  });

  it('search highlights matching ids and messages and dims the rest', async () => {
    await redrawn(page, () => page.fill('#search', 'refund'));
    const found = await page.locator('g.node.match').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id')));
    assert.deepEqual(found.sort(), ['3a7c9e1b5d2f', '3a7c9e1b5d2f', 'd8a0c2e4f6b1']);
    assert.equal(await page.locator('#matches').textContent(), '3 matches');
    assert.equal(await count(page, 'g.node.dimmed'), monolith.revisions.length + monolith.missing.length - 3);
    await redrawn(page, () => page.fill('#search', '8B0D2F'));
    assert.equal(await page.locator('#matches').textContent(), '1 match');
    await redrawn(page, () => page.fill('#search', ''));
    assert.equal(await count(page, 'g.node.dimmed'), 0);
    assert.equal(await page.locator('#matches').textContent(), '');
  });

  it('switches to the audit service, whose cycle is drawn with a back edge', async () => {
    await redrawn(page, async () => { await page.selectOption('#environment', 'services/audit/migrations'); });
    assert.equal(await count(page, 'g.node'), 4);
    assert.equal(await count(page, 'path.edge.cycle'), 1);
    await redrawn(page, async () => { await page.selectOption('#environment', 'migrations'); });
  });

  it('folds thousands of revisions into runs that unfold on click', async () => {
    const trunk = chain(3000);
    const specs = [...trunk];
    for (let b = 1; b <= 5; b++) specs.push(...chain(200, `b${b}`, trunk[b * 500].id));
    await send(page, { type: 'graph', environments: [environment(specs, 'large')], active: 'large' });
    assert.equal(await page.locator('#environment').isVisible(), false);
    // base, 5 branch points, 6 heads; 6 trunk runs and 5 branch runs.
    assert.equal(await count(page, 'g.node'), 23);
    assert.equal(await count(page, 'g.node.run'), 11);
    assert.match((await page.locator('#summary').textContent()) ?? '', /4000 revisions · 6 heads · 3988 folded/);

    const firstRun = page.locator('g.node.run[data-id="r00000000001"]');
    assert.equal(await firstRun.locator('text.title').textContent(), '499 revisions');
    await redrawn(page, () => firstRun.click());
    assert.equal(await count(page, 'g.node'), 23 - 1 + 499);
    assert.equal(await count(page, 'g.node.run'), 10);

    await redrawn(page, () => page.click('#collapse-all'));
    assert.equal(await count(page, 'g.node'), 23);
    await redrawn(page, () => page.fill('#search', 'r00000001234'));
    assert.equal(await page.locator('#matches').textContent(), '1 match');
    assert.equal(await count(page, 'g.node.revision.match[data-id="r00000001234"]'), 1, 'a match is never folded away');
    await redrawn(page, () => page.click('#expand-all'));
    assert.equal(await count(page, 'g.node'), 4000);
    assert.deepEqual(consoleErrors, []);
  });
});
