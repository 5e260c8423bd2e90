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
  /** This machine's VS Code target. */
  target?: string;
  /** With origin 'path': bundled binaries for other targets, left alone. */
  foreignBundle?: string[];
}

/** The VS Code targets a .vsix can carry a (static) server binary for. */
export const BUNDLED_TARGETS = ['linux-x64', 'linux-arm64', 'win32-x64'] as const;

/** VS Code's target name for a Node.js platform and arch ("linux-x64", "darwin-arm64"...). */
export function targetOf(platform: string, arch: string): string {
  return `${platform}-${arch}`;
}

/** The binary shipped inside a per-platform .vsix for a target, relative to the extension. */
function bundledPathFor(target: string): string {
  return path.join('server', target, target.startsWith('win32-') ? 'alembic-lsp.exe' : 'alembic-lsp');
}

/** The binary shipped inside the .vsix for a platform, relative to the extension. */
export function bundledServerPath(platform: string, arch: string): string | undefined {
  const target = targetOf(platform, arch);
  return (BUNDLED_TARGETS as readonly string[]).includes(target) ? bundledPathFor(target) : undefined;
}

/**
 * Binaries the extension carries for targets other than this machine's (a per-platform
 * .vsix installed by hand on another machine). They are never run; the error says so.
 */
export function foreignBundles(host: Host): string[] {
  const own = targetOf(host.platform, host.arch);
  return BUNDLED_TARGETS.filter((t) => t !== own && host.fileExists(path.join(host.extensionPath, bundledPathFor(t))));
}

/** The one-line fix shown when the server could not be started. */
export function startFailureHint(executable: ServerExecutable): string {
  if (executable.origin !== 'path') return ' Check "alembic.server.path".';
  const fix = ' Install alembic-lsp on PATH (pip install alembic-lsp, pipx, or the release page) or set "alembic.server.path".';
  if (!executable.foreignBundle) return fix;
  return ` This extension carries the server for ${executable.foreignBundle.join(', ')}, and this machine is ` +
    `${executable.target}: install the extension built for ${executable.target}, or${fix.replace(' Install', ' install')}`;
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
 * The server to start: the configured path when set; otherwise the binary bundled for this
 * machine's target (linux-x64, linux-arm64, win32-x64) when present; otherwise `alembic-lsp` looked up
 * on PATH. A binary bundled for another target is never chosen.
 */
export function serverExecutable(settings: ServerSettings, host: Host): ServerExecutable {
  const args = ['--log-level', settings.logLevel, ...settings.extraArgs];
  const target = targetOf(host.platform, host.arch);
  if (settings.path !== '') return { command: settings.path, args, transport: 0, origin: 'setting', target };
  const bundled = bundledServerPath(host.platform, host.arch);
  if (bundled !== undefined) {
    const full = path.join(host.extensionPath, bundled);
    if (host.fileExists(full)) return { command: full, args, transport: 0, origin: 'bundled', target };
  }
  const foreign = foreignBundles(host);
  return { command: 'alembic-lsp', args, transport: 0, origin: 'path', target,
    ...(foreign.length ? { foreignBundle: foreign } : {}) };
}

/**
 * The argv vscode-languageclient spawns for an Executable with the stdio transport: it
 * appends `--stdio` (vscode-languageclient/lib/node/main.js), which alembic-lsp accepts.
 */
export function spawnArguments(executable: ServerExecutable): string[] {
  return [...executable.args, '--stdio'];
}
