// "Alembic: Show revision graph": a webview drawing the environments' histories from
// alembic/graph, redrawn when the history changes; a click on a node opens its file and
// picks it for the graph's Alembic buttons (the alembic.* commands); the revision
// `alembic current` reported is marked.

import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { AlembicClient } from './alembicClient';
import { activeEnvironment } from './lsp/graph';
import { activeFilePath, openRevision } from './navigation';
import { currentRevisions, onDidChangeCurrent } from './runAlembic';
import { graphHtml } from './webview/html';
import { isFromWebview, type ToWebview } from './webview/protocol';

export class GraphPanel implements vscode.Disposable {
  private static current: GraphPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private stale = false;
  private disposed = false;
  private activePath: string | undefined;

  static show(extensionUri: vscode.Uri, alembic: AlembicClient): void {
    const path = activeFilePath();
    if (GraphPanel.current) {
      GraphPanel.current.activePath = path ?? GraphPanel.current.activePath;
      GraphPanel.current.panel.reveal();
      void GraphPanel.current.push();
      return;
    }
    GraphPanel.current = new GraphPanel(extensionUri, alembic, path);
  }

  private readonly panel: vscode.WebviewPanel;

  private constructor(extensionUri: vscode.Uri, private readonly alembic: AlembicClient, activePath: string | undefined) {
    this.activePath = activePath;
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    this.panel = vscode.window.createWebviewPanel('alembic.graph', 'Alembic revisions', vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [root],
    });
    const webview = this.panel.webview;
    webview.html = graphHtml({
      script: webview.asWebviewUri(vscode.Uri.joinPath(root, 'graph.js')).toString(),
      style: webview.asWebviewUri(vscode.Uri.joinPath(root, 'graph.css')).toString(),
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(16).toString('base64'),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      alembic.onDidChangeGraph(() => this.changed()),
      onDidChangeCurrent(() => this.changed()),
      this.panel.onDidChangeViewState(() => {
        if (this.panel.visible && this.stale) void this.push();
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  private receive(m: unknown): void {
    if (!isFromWebview(m)) return;
    if (m.type === 'ready' || m.type === 'refresh') {
      void this.push();
    } else if (m.type === 'alembic') {
      const command = { upgrade: 'alembic.upgradeToHere', downgrade: 'alembic.downgradeToHere', stamp: 'alembic.stamp', current: 'alembic.showCurrent' }[m.action];
      void vscode.commands.executeCommand(command, { id: m.id, path: m.path });
    } else {
      // Beside the graph when the graph has the editor area to itself.
      const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
      void openRevision(m.path, m.line, column);
    }
  }

  private changed(): void {
    if (this.disposed) return;
    if (this.panel.visible) void this.push();
    else this.stale = true;
  }

  private async push(): Promise<void> {
    this.stale = false;
    let message: ToWebview;
    try {
      const result = await this.alembic.graph();
      message = {
        type: 'graph',
        environments: result.environments,
        active: activeEnvironment(result.environments, this.activePath)?.name,
        indexing: result.indexed === false,
        current: Object.fromEntries(currentRevisions),
      };
      if (result.indexed === false) setTimeout(() => this.changed(), 1000);
    } catch (e) {
      message = { type: 'error', message: `Could not read the revision graph: ${e instanceof Error ? e.message : String(e)}` };
    }
    await this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (GraphPanel.current === this) GraphPanel.current = undefined;
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
