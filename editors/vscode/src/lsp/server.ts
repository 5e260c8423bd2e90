// How the extension starts alembic-lsp: the executable, its arguments and the transport.
// Kept free of the `vscode` module so the integration test starts the server exactly as
// the extension does.

import * as path from 'node:path';

/** The `alembic.server.*` settings. */
export interface ServerSettings {
  /** `alembic.server.path`; empty means "the bundled binary, else PATH". */
  path: string;
  /** `alembic.server.extraArgs`. */
  extraArgs: string[];
  /** `alembic.server.logLevel`, passed as `--log-level`. */
  logLevel: string;
}

export const DEFAULT_SETTINGS: ServerSettings = { path: '', extraArgs: [], logLevel: 'info' };

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'off'] as const;

/** What the running system looks like to the extension. */
export interface Host {
  platform: string;
  arch: string;
  /** The directory the extension is installed in. */
  extensionPath: string;
  fileExists(file: string): boolean;
}

/** vscode-languageclient's `Executable` with `transport: TransportKind.stdio` (= 0). */
export interface ServerExecutable {
  command: string;
  args: string[];
  transport: 0;
  /** Where the binary came from, for the log and error messages. */
  origin: 'setting' | 'bundled' | 'path';
}

/** The binary shipped inside the .vsix for a platform, relative to the extension. */
export function bundledServerPath(platform: string, arch: string): string | undefined {
  if (platform === 'linux' && arch === 'x64') return path.join('server', 'linux-x64', 'alembic-lsp');
  return undefined;
}

/** Settings as read from an untyped configuration, with bad values replaced by defaults. */
export function normaliseSettings(raw: { path?: unknown; extraArgs?: unknown; logLevel?: unknown }): ServerSettings {
  const serverPath = typeof raw.path === 'string' ? raw.path.trim() : '';
  const extraArgs = Array.isArray(raw.extraArgs)
    ? raw.extraArgs.filter((a): a is string => typeof a === 'string')
    : [];
  const logLevel =
    typeof raw.logLevel === 'string' && (LOG_LEVELS as readonly string[]).includes(raw.logLevel)
      ? raw.logLevel
      : DEFAULT_SETTINGS.logLevel;
  return { path: serverPath, extraArgs, logLevel };
}

/** Expands a leading `~` and `${workspaceFolder}` in the configured server path. */
export function expandServerPath(configured: string, home: string, workspaceFolder?: string): string {
  let p = configured;
  if (p === '~' || p.startsWith('~/')) p = path.join(home, p.slice(1));
  if (workspaceFolder !== undefined) p = p.split('${workspaceFolder}').join(workspaceFolder);
  return p;
}

/**
 * The server to start: the configured path when set; otherwise the bundled binary on
 * linux-x64 when it is present; otherwise `alembic-lsp` looked up on PATH.
 */
export function serverExecutable(settings: ServerSettings, host: Host): ServerExecutable {
  const args = ['--log-level', settings.logLevel, ...settings.extraArgs];
  if (settings.path !== '') return { command: settings.path, args, transport: 0, origin: 'setting' };
  const bundled = bundledServerPath(host.platform, host.arch);
  if (bundled !== undefined) {
    const full = path.join(host.extensionPath, bundled);
    if (host.fileExists(full)) return { command: full, args, transport: 0, origin: 'bundled' };
  }
  return { command: 'alembic-lsp', args, transport: 0, origin: 'path' };
}

/**
 * The argv vscode-languageclient spawns for an Executable with the stdio transport: it
 * appends `--stdio` (vscode-languageclient/lib/node/main.js), which alembic-lsp accepts.
 */
export function spawnArguments(executable: ServerExecutable): string[] {
  return [...executable.args, '--stdio'];
}
