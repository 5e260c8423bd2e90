// The status bar item with the active environment's head count, and "Alembic: Show heads".

import * as vscode from 'vscode';
import type { AlembicClient } from './alembicClient';
import { activeEnvironment, headCount, headRevisions, headsLabel, type GraphEnvironment } from './lsp/graph';
import { activeFilePath, openRevision } from './navigation';

export class HeadsStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('alembic.heads', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor(private readonly alembic: AlembicClient) {
    this.item.name = 'Alembic heads';
    this.item.command = 'alembic.showHeads';
    this.item.text = '$(sync~spin) Alembic';
    this.disposables.push(
      alembic.onDidChangeGraph(() => this.refresh()),
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
    );
  }

  show(): void {
    this.item.show();
    this.refresh();
  }

  /** Asks the server again soon (coalescing bursts of diagnostics). */
  refresh(delay = 200): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, delay);
  }

  private async update(): Promise<void> {
    if (!this.alembic.running) return;
    const generation = ++this.generation;
    const path = activeFilePath();
    try {
      const result = await this.alembic.graph(path);
      if (generation !== this.generation) return;
      const env = activeEnvironment(result.environments, path);
      this.render(env, result.environments.length);
      if (result.indexed === false) this.refresh(1000);
    } catch (e) {
      this.item.text = '$(error) Alembic';
      this.item.tooltip = `alembic/graph failed: ${e instanceof Error ? e.message : String(e)}`;
      this.item.backgroundColor = undefined;
    }
  }

  private render(env: GraphEnvironment | undefined, environments: number): void {
    this.item.text = headsLabel(env);
    const many = env !== undefined && headCount(env) > 1;
    this.item.backgroundColor = many ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const tip = new vscode.MarkdownString();
    if (!env) {
      tip.appendText('Alembic: no environment found yet.');
    } else {
      tip.appendMarkdown(`**Alembic** environment \`${env.name}\``);
      if (environments > 1) tip.appendMarkdown(` (one of ${environments})`);
      tip.appendMarkdown('\n\n');
      for (const r of headRevisions(env)) {
        const note = r.duplicate ? ' (duplicated id)' : '';
        tip.appendMarkdown(`- \`${r.id}\` ${r.message.replace(/[\\`*_[\]<>]/g, '\\$&')}${note}\n`);
      }
      tip.appendMarkdown(many ? '\n\nMore than one head: `alembic upgrade head` fails. Click to list them.' : '\n\nClick to open the head.');
    }
    this.item.tooltip = tip;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

interface HeadItem extends vscode.QuickPickItem {
  path?: string;
  line?: number;
}

function headItems(envs: GraphEnvironment[]): HeadItem[] {
  const items: HeadItem[] = [];
  for (const env of envs) {
    const heads = headRevisions(env);
    if (envs.length > 1) {
      const n = headCount(env);
      items.push({ label: `${env.name}: ${n} ${n === 1 ? 'head' : 'heads'}`, kind: vscode.QuickPickItemKind.Separator });
    }
    for (const r of heads) {
      const notes = [r.duplicate ? 'duplicated id' : '', r.is_merge ? 'merge point' : '', r.is_base ? 'also a base' : ''].filter(Boolean);
      items.push({
        label: `$(git-commit) ${r.id}`,
        description: [r.message, ...notes].filter(Boolean).join(' — '),
        detail: `${vscode.workspace.asRelativePath(r.path)}:${r.line}`,
        path: r.path,
        line: r.line,
      });
    }
  }
  return items;
}

/** "Alembic: Show heads": a quick pick of the heads; choosing one opens its file. */
export async function showHeads(alembic: AlembicClient): Promise<void> {
  const path = activeFilePath();
  // Every environment (asking with the active file would answer only its environment).
  const result = await alembic.graph();
  const env = activeEnvironment(result.environments, path);
  // The active file's environment first, then the others.
  const envs = env ? [env, ...result.environments.filter((e) => e !== env)] : result.environments;
  const items = headItems(envs);
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Alembic: no revisions found in this workspace.');
    return;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: env ? `Alembic heads (${env.name}: ${headCount(env)})` : 'Alembic heads',
    placeHolder: 'Open a head',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked?.path !== undefined && picked.line !== undefined) await openRevision(picked.path, picked.line);
}
