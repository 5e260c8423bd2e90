// Owns the LanguageClient: starts alembic-lsp as the settings say, restarts it, asks it
// for the revision graph, and tells listeners when the history may have changed.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { AlembicCapabilities } from './lsp/capabilities';
import {
  CLIENT_ID,
  CLIENT_NAME,
  DOCUMENT_SELECTOR,
  initializationOptions,
  MERGE_COMMAND,
  SHOW_REVISIONS_COMMAND,
  type MergeResult,
} from './lsp/client';
import { GRAPH_REQUEST, type GraphParams, type GraphResult } from './lsp/graph';
import { NEW_MIGRATION_COMMAND, type NewMigrationArgument, type NewMigrationResult } from './lsp/newMigration';
import { expandServerPath, normaliseSettings, serverExecutable, startFailureHint, type ServerExecutable } from './lsp/server';
import { showRevisions } from './revisions';

export function readServerExecutable(extensionPath: string): ServerExecutable {
  const config = vscode.workspace.getConfiguration('alembic.server');
  const settings = normaliseSettings({
    path: config.get('path'),
    extraArgs: config.get('extraArgs'),
    logLevel: config.get('logLevel'),
  });
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  settings.path = settings.path === '' ? '' : expandServerPath(settings.path, os.homedir(), folder);
  return serverExecutable(settings, {
    platform: process.platform,
    arch: process.arch,
    extensionPath,
    fileExists: (f) => fs.existsSync(f),
  });
}

/** A .vsix may lose the executable bit on the way; give it back. */
function ensureExecutable(file: string): void {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    fs.chmodSync(file, 0o755);
  }
}

export class AlembicClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private changeTimer: ReturnType<typeof setTimeout> | undefined;

  /** Fires (debounced) when diagnostics arrive or migration files change. */
  readonly onDidChangeGraph = this.changed.event;

  constructor(
    private readonly extensionPath: string,
    private readonly output: vscode.OutputChannel,
    private readonly traceOutput: vscode.OutputChannel,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.scheduleChange()),
      watcher.onDidChange(() => this.scheduleChange()),
      watcher.onDidDelete(() => this.scheduleChange()),
    );
  }

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  private scheduleChange(): void {
    if (this.changeTimer !== undefined) clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      this.changed.fire();
    }, 300);
  }

  async start(): Promise<void> {
    if (this.client) return;
    const executable = readServerExecutable(this.extensionPath);
    if (executable.origin === 'bundled') ensureExecutable(executable.command);
    this.output.appendLine(`Starting ${executable.command} ${executable.args.join(' ')} (${executable.origin})`);
    const serverOptions: ServerOptions = {
      command: executable.command,
      args: executable.args,
      transport: TransportKind.stdio,
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      traceOutputChannel: this.traceOutput,
      initializationOptions: initializationOptions(),
      middleware: {
        handleDiagnostics: (uri, diagnostics, next) => {
          next(uri, diagnostics);
          this.scheduleChange();
        },
        // A code lens's command: show what the server answers.
        executeCommand: async (command, args, next) => {
          const result: unknown = await next(command, args);
          if (command === SHOW_REVISIONS_COMMAND) await showRevisions(args, result);
          return result;
        },
      },
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    client.registerFeature(new AlembicCapabilities());
    this.client = client;
    try {
      await client.start();
    } catch (e) {
      this.client = undefined;
      const hint = startFailureHint(executable);
      throw new Error(`Could not start ${executable.command}: ${e instanceof Error ? e.message : String(e)}.${hint}`);
    }
    this.scheduleChange();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.stop();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private requireClient(): LanguageClient {
    if (!this.client || !this.running) throw new Error('The Alembic server is not running.');
    return this.client;
  }

  /** The protocol URI of a file, as the client spells it in didOpen. */
  uriOf(path: string): string {
    return this.requireClient().code2ProtocolConverter.asUri(vscode.Uri.file(path));
  }

  /** `alembic/graph`: the environment holding `path`, or all of them. */
  async graph(path?: string): Promise<GraphResult> {
    const client = this.requireClient();
    const params: GraphParams = path === undefined ? {} : { uri: this.uriOf(path) };
    return client.sendRequest<GraphResult>(GRAPH_REQUEST, params);
  }

  /** Any custom request of the server (e.g. `alembic/migrations`). */
  async request<R>(method: string, params: object): Promise<R> {
    return this.requireClient().sendRequest<R>(method, params);
  }

  /** The server's alembic.mergeHeads for the environment holding `path`. */
  async mergeHeads(path: string): Promise<MergeResult> {
    const client = this.requireClient();
    return (await client.sendRequest(ExecuteCommandRequest.type, {
      command: MERGE_COMMAND,
      arguments: [{ uri: this.uriOf(path) }],
    })) as MergeResult;
  }

  /** The server's alembic.newMigration in the environment holding `path`. */
  async newMigration(path: string, head?: string, message?: string): Promise<NewMigrationResult> {
    const client = this.requireClient();
    const argument: NewMigrationArgument = { uri: this.uriOf(path), head, message };
    return (await client.sendRequest(ExecuteCommandRequest.type, {
      command: NEW_MIGRATION_COMMAND,
      arguments: [argument],
    })) as NewMigrationResult;
  }

  dispose(): void {
    if (this.changeTimer !== undefined) clearTimeout(this.changeTimer);
    for (const d of this.disposables) d.dispose();
    void this.stop();
  }
}
