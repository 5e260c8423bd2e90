// The "Alembic Migrations" tree in the Explorer: each environment, then its heads (each
// opening onto its parents, down to the bases) and its whole history from the bases to
// the heads, with merge and branch points marked, the problems of each revision on its
// node, and the revision the database reported in "Alembic: Show current revision".
// Clicking a node opens its file at `revision = ...`. "Filter" keeps the revisions whose
// id or message holds every word typed. Refreshed when diagnostics or migration files
// change and when `alembic current` reports.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AlembicClient } from './alembicClient';
import {
  description,
  headNodes,
  iconOf,
  matchesFilter,
  MIGRATIONS_REQUEST,
  parentNodes,
  problemLines,
  summary,
  type FileProblem,
  type MigrationNode,
  type MigrationsEnvironment,
  type MigrationsResult,
} from './lsp/migrationsView';
import { currentRevisions, onDidChangeCurrent } from './runAlembic';

export const MIGRATIONS_VIEW = 'alembic.migrations';

type Node =
  | { type: 'environment'; env: MigrationsEnvironment }
  | { type: 'group'; env: MigrationsEnvironment; group: 'heads' | 'history' | 'missing' | 'problems' }
  | { type: 'revision'; env: MigrationsEnvironment; node: MigrationNode; expandParents: boolean }
  | { type: 'missing'; env: MigrationsEnvironment; id: string; referencedBy: string[] }
  | { type: 'problem'; env: MigrationsEnvironment; problem: FileProblem }
  | { type: 'message'; text: string };

function isCurrent(env: MigrationsEnvironment, id: string): boolean {
  return currentRevisions.get(env.name)?.includes(id) ?? false;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#]/g, '\\$&');
}

export class MigrationsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private filter = '';
  private result: MigrationsResult | undefined;
  private error: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The history may have changed while the tree was hidden. */
  private stale = true;

  constructor(private readonly alembic: AlembicClient) {
    this.view = vscode.window.createTreeView(MIGRATIONS_VIEW, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      alembic.onDidChangeGraph(() => this.refresh()),
      onDidChangeCurrent(() => this.changed.fire(undefined)),
      // A hidden tree is not asked for (a large history makes a large answer); it catches up when shown.
      this.view.onDidChangeVisibility((e) => {
        if (e.visible && this.stale) this.refresh(0);
      }),
      vscode.commands.registerCommand('alembic.migrations.refresh', () => this.refresh(0)),
      vscode.commands.registerCommand('alembic.migrations.filter', () => this.askFilter()),
      vscode.commands.registerCommand('alembic.migrations.clearFilter', () => this.setFilter('')),
    );
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
    if (!this.view.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    try {
      const result = await this.alembic.request<MigrationsResult>(MIGRATIONS_REQUEST, {});
      this.result = result;
      this.error = undefined;
      if (!result.indexed) this.refresh(1000);
    } catch (e) {
      this.error = `${MIGRATIONS_REQUEST} failed: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.changed.fire(undefined);
  }

  private async askFilter(): Promise<void> {
    const value = await vscode.window.showInputBox({
      title: 'Filter the Alembic migrations',
      prompt: 'Revision id or words of the message (empty: show all)',
      value: this.filter,
    });
    if (value !== undefined) this.setFilter(value);
  }

  setFilter(value: string): void {
    this.filter = value.trim();
    this.view.message = this.filter ? `Filter: ${this.filter}` : undefined;
    void vscode.commands.executeCommand('setContext', 'alembic.migrationsFiltered', this.filter !== '');
    this.changed.fire(undefined);
  }

  getChildren(element?: Node): Node[] {
    if (!element) {
      if (this.error) return [{ type: 'message', text: this.error }];
      if (!this.result) return [{ type: 'message', text: 'Waiting for the Alembic server…' }];
      if (this.result.environments.length === 0) {
        return [{ type: 'message', text: this.result.indexed ? 'No Alembic environment found.' : 'Indexing…' }];
      }
      return this.result.environments.map((env) => ({ type: 'environment', env }));
    }
    switch (element.type) {
      case 'environment': {
        const env = element.env;
        const groups: Node[] = [
          { type: 'group', env, group: 'heads' },
          { type: 'group', env, group: 'history' },
        ];
        if (env.missing.length) groups.push({ type: 'group', env, group: 'missing' });
        if (env.problems.length) groups.push({ type: 'group', env, group: 'problems' });
        return groups;
      }
      case 'group': {
        const env = element.env;
        const keep = (n: MigrationNode) => matchesFilter(n, this.filter);
        if (element.group === 'heads') {
          return headNodes(env).filter(keep).map((node) => ({ type: 'revision', env, node, expandParents: true }));
        }
        if (element.group === 'history') {
          return env.revisions.filter(keep).map((node) => ({ type: 'revision', env, node, expandParents: false }));
        }
        if (element.group === 'missing') {
          return env.missing.map((m) => ({ type: 'missing', env, id: m.id, referencedBy: m.referenced_by }));
        }
        return env.problems.map((problem) => ({ type: 'problem', env, problem }));
      }
      case 'revision':
        return element.expandParents
          ? parentNodes(element.env, element.node).map((node) => ({ type: 'revision', env: element.env, node, expandParents: true }))
          : [];
      default:
        return [];
    }
  }

  getTreeItem(element: Node): vscode.TreeItem {
    switch (element.type) {
      case 'message':
        return new vscode.TreeItem(element.text);
      case 'environment': {
        const { env } = element;
        const item = new vscode.TreeItem(env.name, vscode.TreeItemCollapsibleState.Expanded);
        const n = env.heads.length;
        item.description = `${n} ${n === 1 ? 'head' : 'heads'}, ${env.revisions.length} revisions`;
        item.iconPath = new vscode.ThemeIcon(n > 1 ? 'warning' : 'database');
        item.tooltip = env.config ? `${env.name} (${env.config}${env.section ? ` [${env.section}]` : ''})` : env.name;
        item.contextValue = 'alembicEnvironment';
        return item;
      }
      case 'group':
        return this.groupItem(element.env, element.group);
      case 'revision':
        return this.revisionItem(element.env, element.node, element.expandParents);
      case 'missing': {
        const item = new vscode.TreeItem(element.id);
        item.description = `missing — named by ${element.referencedBy.join(', ')}`;
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
        item.tooltip = `No migration of ${element.env.name} declares revision ${element.id}; ${element.referencedBy.join(', ')} name it.`;
        const child = element.env.revisions.find((r) => element.referencedBy.includes(r.id));
        if (child) item.command = openCommand(child.path, child.line);
        return item;
      }
      case 'problem': {
        const p = element.problem;
        const item = new vscode.TreeItem(path.basename(p.path));
        item.description = `${p.code}: ${p.message}`;
        item.iconPath = severityIcon(p.severity);
        item.tooltip = `${p.severity} ${p.code} (line ${p.line}): ${p.message}`;
        item.command = openCommand(p.path, p.line);
        return item;
      }
    }
  }

  private groupItem(env: MigrationsEnvironment, group: 'heads' | 'history' | 'missing' | 'problems'): vscode.TreeItem {
    const keep = (n: MigrationNode) => matchesFilter(n, this.filter);
    const count = (shown: number, all: number) => (shown === all ? `${all}` : `${shown} of ${all}`);
    let item: vscode.TreeItem;
    if (group === 'heads') {
      const heads = headNodes(env);
      item = new vscode.TreeItem('Heads', vscode.TreeItemCollapsibleState.Expanded);
      item.description = count(heads.filter(keep).length, heads.length);
      item.iconPath = new vscode.ThemeIcon('arrow-up');
    } else if (group === 'history') {
      // Collapsed (it may be long); open while filtering, to show what matched.
      const state = this.filter ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
      item = new vscode.TreeItem('History (base → heads)', state);
      item.description = count(env.revisions.filter(keep).length, env.revisions.length);
      item.iconPath = new vscode.ThemeIcon('history');
    } else if (group === 'missing') {
      item = new vscode.TreeItem('Missing revisions', vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${env.missing.length}`;
      item.iconPath = new vscode.ThemeIcon('error');
    } else {
      item = new vscode.TreeItem('Other files', vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${env.problems.length} ${env.problems.length === 1 ? 'problem' : 'problems'}`;
      item.iconPath = new vscode.ThemeIcon('warning');
    }
    // Nothing to open: no arrow (a filter that matched nothing here).
    if (this.getChildren({ type: 'group', env, group }).length === 0) item.collapsibleState = vscode.TreeItemCollapsibleState.None;
    // The same group of another environment is another node; a new filter makes new
    // groups, so their state above applies (VS Code keeps an id's expansion otherwise).
    item.id = `${env.name}\u0000${group}\u0000${this.filter}`;
    return item;
  }

  private revisionItem(env: MigrationsEnvironment, node: MigrationNode, expandParents: boolean): vscode.TreeItem {
    const current = isCurrent(env, node.id);
    const hasParents = expandParents && parentNodes(env, node).length > 0;
    const item = new vscode.TreeItem(
      node.id,
      hasParents ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.description = description(node, current);
    const icon = iconOf(node, current);
    item.iconPath =
      icon === 'error' || icon === 'warning'
        ? severityIcon(icon)
        : new vscode.ThemeIcon(icon, current ? new vscode.ThemeColor('charts.green') : undefined);
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**${escapeMarkdown(node.id)}** ${escapeMarkdown(summary(node.message))}\n\n`);
    tip.appendMarkdown(`${escapeMarkdown(vscode.workspace.asRelativePath(node.path))}:${node.line}\n\n`);
    if (current) tip.appendMarkdown('The database is at this revision (`alembic current`).\n\n');
    if (node.parents.length) tip.appendMarkdown(`Revises: ${escapeMarkdown(node.parents.join(', '))}\n\n`);
    for (const line of problemLines(node)) tip.appendMarkdown(`- ${escapeMarkdown(line)}\n`);
    item.tooltip = tip;
    item.command = openCommand(node.path, node.line);
    item.contextValue = node.problems.length ? 'alembicRevisionWithProblems' : 'alembicRevision';
    item.accessibilityInformation = {
      label: `${node.id} ${item.description}${node.problems.length ? `, ${node.problems.length} problems` : ''}`,
    };
    return item;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

function severityIcon(severity: string): vscode.ThemeIcon {
  if (severity === 'error') return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
  if (severity === 'warning') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  return new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
}

/** `vscode.open` of the file with the cursor on the 1-based line. */
function openCommand(file: string, line: number): vscode.Command {
  const at = new vscode.Position(Math.max(0, line - 1), 0);
  return {
    title: 'Open migration',
    command: 'vscode.open',
    arguments: [vscode.Uri.file(file), { selection: new vscode.Range(at, at) } satisfies vscode.TextDocumentShowOptions],
  };
}
