// The editor side of an LSP connection for the tests, on vscode-jsonrpc (the transport
// vscode-languageclient itself uses): spawns the server as the extension's options say,
// answers the server's requests as VS Code does, and records what it publishes.

import * as cp from 'node:child_process';
import * as path from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  Diagnostic,
  InitializeResult,
  PublishDiagnosticsParams,
  Registration,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { initializationOptions } from '../../src/lsp/client';
import { spawnArguments, type ServerExecutable } from '../../src/lsp/server';
import { fileUri } from './paths';
import { VSCODE_VERSION } from './vscodeCapabilities';

export interface ApplyResult {
  applied: boolean;
  failureReason?: string;
}

export class TestClient {
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly registrations: Registration[] = [];
  readonly messages: string[] = [];
  /** The uris of the window/showDocument requests received. */
  readonly shown: string[] = [];
  readonly stderr: string[] = [];
  applyEdit: (edit: WorkspaceEdit) => ApplyResult = () => ({ applied: false, failureReason: 'no handler' });
  private waiters: Array<() => void> = [];
  private exited = false;

  private constructor(readonly process: cp.ChildProcessWithoutNullStreams) {
    process.stderr.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    process.on('exit', () => {
      this.exited = true;
      this.wake();
    });
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout), new StreamMessageWriter(process.stdin));
    const c = this.connection;
    c.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.wake();
    });
    c.onNotification('window/showMessage', (p: { message: string }) => this.messages.push(p.message));
    c.onNotification('window/logMessage', () => undefined);
    c.onNotification('$/progress', () => undefined);
    c.onRequest('client/registerCapability', (p: { registrations: Registration[] }) => {
      this.registrations.push(...p.registrations);
      this.wake();
      return null;
    });
    c.onRequest('client/unregisterCapability', () => null);
    c.onRequest('window/workDoneProgress/create', () => null);
    c.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    c.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => this.applyEdit(p.edit));
    c.onRequest('window/showDocument', (p: { uri: string }) => {
      this.shown.push(p.uri);
      this.wake();
      return { success: true };
    });
    c.listen();
  }

  /** Spawns the server exactly as vscode-languageclient does for a stdio Executable. */
  static start(executable: ServerExecutable, cwd: string): TestClient {
    const child = cp.spawn(executable.command, spawnArguments(executable), { cwd, stdio: 'pipe' });
    return new TestClient(child);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Waits until `ready()` holds, re-checking after each message; `bound` ms is only a hang guard. */
  async until<T>(what: string, ready: () => T | undefined, bound = 60000): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = ready();
      if (value !== undefined) return value;
      if (this.exited) throw new Error(`server exited while waiting for ${what}; stderr:\n${this.stderr.join('').slice(-2000)}`);
      if (Date.now() - started > bound) throw new Error(`gave up waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async diagnosticsOf(file: string, accept: (d: Diagnostic[]) => boolean, what: string): Promise<Diagnostic[]> {
    const uri = fileUri(file);
    return this.until(what, () => {
      const d = this.diagnostics.get(uri);
      return d !== undefined && accept(d) ? d : undefined;
    });
  }

  /** initialize + initialized with the parameters vscode-languageclient builds. */
  async initialize(root: string, capabilities: ClientCapabilities): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      clientInfo: { name: 'Visual Studio Code', version: VSCODE_VERSION },
      locale: 'en',
      rootPath: root,
      rootUri: fileUri(root),
      capabilities,
      initializationOptions: initializationOptions(),
      trace: 'off',
      workspaceFolders: [{ uri: fileUri(root), name: path.basename(root) }],
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async shutdown(): Promise<number | null> {
    if (this.exited) return this.process.exitCode;
    const exit = new Promise<number | null>((resolve) => this.process.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exit;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    if (!this.exited) this.process.kill('SIGKILL');
    this.connection.dispose();
  }
}
