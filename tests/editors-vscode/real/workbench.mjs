// What a person does and sees in VS Code's workbench, as playwright calls: the command
// palette, Quick Open, Go to Line, the status bar, the Problems panel, the active editor.

import * as assert from 'node:assert/strict';

export const HEADS_ITEM = '#alembic-lsp\\.alembic-lsp\\.alembic\\.heads';

/** Polls `probe` until it returns a truthy value (returned) or `ms` pass (throws `what`). */
export async function waitFor(what, probe, ms = 30000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export class Workbench {
  constructor(page) {
    this.page = page;
  }

  /** Runs a command from the palette (F1) by its title, e.g. "Alembic: Show heads". */
  async command(title) {
    const { page } = this;
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: 15000 });
    await row.click();
  }

  /**
   * Opens a file by name through Quick Open (F1, then the name without the ">"; F1 reaches
   * the workbench even from the terminal). Tried twice: a keystroke can land in a widget
   * that is closing.
   */
  async openFile(name) {
    const { page } = this;
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill(name);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15000 });
      await input.press('Enter');
      try {
        await waitFor(`${name} in the active tab`, async () => (await this.activeTab()) === name, 15000);
        break;
      } catch (e) {
        if (attempt === 2) throw e;
      }
    }
    await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  }

  /** The title of the active editor tab. */
  async activeTab() {
    return (await this.page.locator('.editor-group-container.active .tabs-container .tab.active .label-name').first().textContent({ timeout: 2000 }))?.trim();
  }

  /** Puts the cursor at 1-based `line`:`column` (Ctrl+G). */
  async gotoLine(line, column = 1) {
    const { page } = this;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await page.waitForTimeout(200);
    await input.press('Enter');
    await waitFor(`the cursor at ${line}:${column}`, async () => (await this.cursorStatus()) === `Ln ${line}, Col ${column}`, 10000);
  }

  /** The status bar's "Ln X, Col Y". */
  async cursorStatus() {
    const text = await this.page.locator('#status\\.editor\\.selection').textContent({ timeout: 2000 });
    return text?.trim();
  }

  /** The text of the Alembic status bar item, e.g. "11 heads" (icons dropped). */
  async headsText() {
    return (await this.page.locator(HEADS_ITEM).textContent({ timeout: 2000 }))?.replace(/\s+/g, ' ').trim();
  }

  /** The problems counter of the status bar: "Errors: 24, Warnings: 6". */
  async problemsCounter() {
    return this.page.locator('#status\\.problems a').first().getAttribute('aria-label', { timeout: 2000 });
  }

  /** Rows of the visible quick pick: labels and separators, as text. */
  async quickPickRows() {
    const rows = this.page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 15000 });
    return rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
  }

  /**
   * Every marker of the Problems panel in its table view, maximized so no row is
   * virtualized away: [{severity, code, message, file, line, column}].
   */
  async problems() {
    const { page } = this;
    await this.command('Problems: Focus on Problems View');
    const panel = page.locator('.markers-panel');
    await panel.waitFor({ state: 'visible' });
    await page.locator('.markers-table-container').waitFor({ state: 'visible' });
    await this.command('View: Toggle Maximized Panel');
    this.maximized = true;
    await page.waitForTimeout(500);
    return page.locator('.markers-table-container .monaco-table-tr').evaluateAll((rows) => rows.map((row) => {
      const cell = (name) => row.querySelector(`.${name}`)?.textContent?.trim() ?? '';
      const severityClass = row.querySelector('.severity .codicon')?.className ?? '';
      const severity = /codicon-error/.test(severityClass) ? 'error' : /codicon-warning/.test(severityClass) ? 'warning' : /codicon-info/.test(severityClass) ? 'information' : 'hint';
      const position = /\[Ln (\d+), Col (\d+)\]/.exec(cell('position')) ?? /(\d+)\D+(\d+)/.exec(cell('position'));
      return {
        severity,
        code: cell('code'),
        codeLink: Boolean(row.querySelector('.code a, .code .monaco-link')),
        message: cell('message'),
        file: cell('file'),
        line: position ? Number(position[1]) : -1,
        column: position ? Number(position[2]) : -1,
        raw: row.textContent,
      };
    }));
  }

  async restorePanel() {
    if (this.maximized) await this.command('View: Toggle Maximized Panel');
    this.maximized = false;
  }
}

/** Records each check's outcome; failures do not stop the others. */
export class Checks {
  /** @param onFailure  called with a file-name-safe slug of a failed check (a screenshot) */
  constructor(onFailure = async () => {}) {
    this.results = [];
    this.onFailure = onFailure;
  }

  async check(name, fn) {
    const started = Date.now();
    try {
      await fn();
      this.results.push({ name, ok: true, ms: Date.now() - started });
      console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (e) {
      this.results.push({ name, ok: false, ms: Date.now() - started, error: e });
      const text = e instanceof Error ? `${e.message}\n${(e.stack ?? '').split('\n').find((l) => l.includes('.test.mjs')) ?? ''}` : String(e);
      console.log(`FAIL ${name}: ${text.split('\n').filter((l) => !/\x1b\[2m|Call log/.test(l)).join('\n')}`);
      await this.onFailure(name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 40)).catch(() => {});
    }
  }

  get failed() {
    return this.results.filter((r) => !r.ok);
  }
}

export { assert };
