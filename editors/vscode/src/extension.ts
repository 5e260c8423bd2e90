// Entry point: starts alembic-lsp in workspaces holding an Alembic project and adds the
// commands, the heads status bar item and the revision graph.

import * as vscode from 'vscode';
import { AlembicClient } from './alembicClient';
import { GraphPanel } from './graphPanel';
import { HeadsStatus, showHeads } from './heads';
import { mergeHeads } from './merge';
import { autogenerateMigration, newMigration } from './newMigration';
import { MigrationsView } from './migrationsView';
import { findAlembicProject, watchForProject } from './project';
import { onTerminalClosed, runAlembic, type AlembicAction, type RevisionTarget } from './runAlembic';

let alembic: AlembicClient | undefined;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Alembic');
  const trace = vscode.window.createOutputChannel('Alembic LSP trace');
  const client = new AlembicClient(context.extensionPath, output, trace);
  alembic = client;
  const status = new HeadsStatus(client);
  context.subscriptions.push(output, trace, client, status);
  const migrations = new MigrationsView(client);
  context.subscriptions.push(migrations);

  let started = false;
  const start = async (reason: string): Promise<void> => {
    output.appendLine(`Alembic project: ${reason}`);
    try {
      await client.start();
      started = true;
      await vscode.commands.executeCommand('setContext', 'alembic.active', true);
      status.show();
      migrations.refresh(0);
    } catch (e) {
      output.appendLine(errorText(e));
      void vscode.window.showErrorMessage(errorText(e), 'Open settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'alembic.server');
      });
    }
  };

  // Commands need a running server; started by hand, they start it first.
  const withServer = (run: () => Promise<void> | void) => async (): Promise<void> => {
    try {
      if (!client.running) await client.start();
      await run();
    } catch (e) {
      void vscode.window.showErrorMessage(`Alembic: ${errorText(e)}`);
    }
  };
  const alembicRun = (action: AlembicAction) => async (target?: RevisionTarget): Promise<void> => {
    try {
      if (!client.running) await client.start();
      await runAlembic(client, action, target);
    } catch (e) {
      void vscode.window.showErrorMessage(`Alembic: ${errorText(e)}`);
    }
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('alembic.upgradeToHere', alembicRun('upgrade')),
    vscode.commands.registerCommand('alembic.downgradeToHere', alembicRun('downgrade')),
    vscode.commands.registerCommand('alembic.stamp', alembicRun('stamp')),
    vscode.commands.registerCommand('alembic.showCurrent', alembicRun('current')),
    vscode.window.onDidCloseTerminal(onTerminalClosed),
    vscode.commands.registerCommand('alembic.mergeHeadsInteractive', withServer(() => mergeHeads(client))),
    vscode.commands.registerCommand('alembic.newMigrationInteractive', withServer(() => newMigration(client))),
    vscode.commands.registerCommand('alembic.autogenerateMigration', withServer(() => autogenerateMigration(client))),
    vscode.commands.registerCommand('alembic.showHeads', withServer(() => showHeads(client))),
    vscode.commands.registerCommand('alembic.showGraph', withServer(() => GraphPanel.show(context.extensionUri, client))),
    vscode.commands.registerCommand('alembic.restartServer', async () => {
      try {
        await client.restart();
        started = true;
        status.show();
        output.appendLine('Server restarted.');
      } catch (e) {
        void vscode.window.showErrorMessage(`Alembic: ${errorText(e)}`);
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (started && e.affectsConfiguration('alembic.server')) {
        output.appendLine('alembic.server settings changed: restarting the server.');
        void client.restart().catch((err: unknown) => void vscode.window.showErrorMessage(`Alembic: ${errorText(err)}`));
      }
    }),
  );

  const reason = await findAlembicProject();
  if (reason !== undefined) {
    await start(reason);
  } else {
    output.appendLine('No alembic.ini, [tool.alembic] or migration found: waiting for one.');
    const watch = watchForProject((found) => {
      watch.dispose();
      void start(found);
    });
    context.subscriptions.push(watch);
  }
}

export async function deactivate(): Promise<void> {
  await alembic?.stop();
}
