// The "Alembic Migrations" tree in the Explorer as a person reaches it: the view focused
// through the command palette, the Explorer's folder section folded so the tree has room,
// the filter command's input box, and the tree's rows (label, description, icon).

import { waitFor } from './workbench.mjs';

export class MigrationsView {
  constructor(page, wb) {
    this.page = page;
    this.wb = wb;
    this.pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Alembic Migrations' }) });
  }

  /** Shows the view (Explorer), with the folder section folded once so the tree has room. */
  async focus() {
    const { page } = this;
    await this.wb.command('Explorer: Focus on Alembic Migrations View');
    await this.pane.locator('.monaco-list').first().waitFor({ timeout: 30000 });
    if (!this.folded) {
      // The first section of the Explorer is the opened folder's files: fold it.
      const folder = page.locator('.explorer-viewlet .pane-header').first();
      if ((await folder.getAttribute('aria-expanded')) === 'true') await folder.click();
      this.folded = true;
    }
  }

  /**
   * Runs "Alembic: Filter migrations by id or message" and types `text` (empty: all).
   * Tried twice, as Workbench.openFile: a keystroke can land in a widget that is closing.
   */
  async filter(text) {
    const { page } = this;
    const input = page.locator('.quick-input-widget input');
    for (let attempt = 1; ; attempt++) {
      try {
        await this.wb.command('Alembic: Filter migrations by id or message');
        await page.locator('.quick-input-widget', { hasText: 'Filter the Alembic migrations' }).waitFor({ timeout: 10000 });
        await input.fill(text, { timeout: 10000 });
        await input.press('Enter');
        await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
        await waitFor(`the filter "${text}"`, async () => {
          const message = (await this.pane.locator('.message').first().textContent({ timeout: 1000 }).catch(() => '')) ?? '';
          return text ? message.includes(`Filter: ${text}`) : !message.includes('Filter:');
        }, 10000);
        break;
      } catch (e) {
        if (attempt === 2) throw e;
        await page.keyboard.press('Escape');
      }
    }
    await this.focus();
  }

  /** The rendered rows: [{label, description, icon (codicon classes), level, aria}]. */
  async rows() {
    return this.pane.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => ({
      label: e.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: e.querySelector('.label-description')?.textContent?.trim() ?? '',
      icon: e.querySelector('.custom-view-tree-node-item-icon')?.className ?? '',
      level: Number(e.getAttribute('aria-level') ?? '0'),
      aria: e.getAttribute('aria-label') ?? '',
    })));
  }

  /** The row whose label is `label` under the environment row `env` (its descendants). */
  async rowUnder(env, label) {
    const rows = await this.rows();
    const start = rows.findIndex((r) => r.level === 1 && r.label === env);
    if (start < 0) return undefined;
    for (let i = start + 1; i < rows.length && rows[i].level > 1; i++) {
      if (rows[i].label === label) return { ...rows[i], index: i };
    }
    return undefined;
  }

  /** Clicks the row at `index` of rows(). */
  async click(index) {
    await this.pane.locator('.monaco-list-row').nth(index).click();
  }

  /** Hovers the row at `index` and returns the hover's text. */
  async hoverText(index) {
    const { page } = this;
    await this.pane.locator('.monaco-list-row').nth(index).locator('.monaco-icon-label').hover();
    const hover = page.locator('.workbench-hover, .monaco-hover:not(.hidden)').first();
    return waitFor('the tooltip', async () => {
      const text = await hover.textContent({ timeout: 1000 });
      return text && text.trim() ? text : undefined;
    }, 10000);
  }
}
