// Real VS Code for the tests: code-server (installed by ../install-code-server.sh) with
// every data, config and cache directory inside one directory of the build tree, and
// headless Chromium (Debian's) driving its workbench through playwright-core.

import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createRequire } from 'node:module';

/** playwright-core as the extension's package-lock pins it (editors/vscode/node_modules). */
export function loadPlaywright(root) {
  const require = createRequire(path.join(root, 'editors', 'vscode', 'package.json'));
  try {
    return require('playwright-core');
  } catch {
    throw new Error('playwright-core is missing: run `npm ci` in editors/vscode');
  }
}

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export class CodeServer {
  /**
   * @param {string} install  the install-code-server.sh destination
   * @param {string} home     where this run keeps its user data, extensions, config and caches
   */
  constructor(install, home) {
    this.entry = path.join(install, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
    if (!fs.existsSync(this.entry)) throw new Error(`code-server is not installed in ${install} (run tests/editors-vscode/install-code-server.sh)`);
    this.home = home;
    this.userData = path.join(home, 'user-data');
    this.extensions = path.join(home, 'extensions');
    this.env = {
      ...process.env,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      // The extension host's children (the server) find nothing of the caller's session.
      VSCODE_PROXY_URI: '',
    };
    for (const d of [this.userData, this.extensions, this.env.XDG_CONFIG_HOME, this.env.XDG_DATA_HOME, this.env.XDG_CACHE_HOME]) {
      fs.mkdirSync(d, { recursive: true });
    }
    this.process = undefined;
    this.output = '';
  }

  baseArgs() {
    return ['--user-data-dir', this.userData, '--extensions-dir', this.extensions, '--disable-telemetry', '--disable-update-check'];
  }

  /** `code-server --install-extension FILE.vsix`; returns what it printed. */
  installExtension(vsix) {
    return execFileSync(process.execPath, [this.entry, ...this.baseArgs(), '--install-extension', vsix, '--force'], {
      env: this.env, encoding: 'utf8', timeout: 120000,
    });
  }

  /** Writes the user settings (User/settings.json under the user data directory). */
  writeSettings(settings) {
    const dir = path.join(this.userData, 'User');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
  }

  async start() {
    this.port = await freePort();
    const child = spawn(process.execPath, [this.entry, ...this.baseArgs(), '--auth', 'none', '--bind-addr', `127.0.0.1:${this.port}`], {
      env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    this.process = child;
    child.stdout.on('data', (d) => { this.output += d; });
    child.stderr.on('data', (d) => { this.output += d; });
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${this.output}`);
      if (this.output.includes('HTTP server listening')) return this.url();
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`code-server did not start within 60 s:\n${this.output}`);
  }

  url(folder) {
    const base = `http://127.0.0.1:${this.port}/`;
    return folder === undefined ? base : `${base}?folder=${encodeURIComponent(folder)}`;
  }

  /** Stops code-server and everything it started (its process group). */
  async stop() {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await exited;
    clearTimeout(timer);
  }

  /** The extension host logs of this run (remote extension host: the server side). */
  extensionHostLogs() {
    const logs = path.join(this.userData, 'logs');
    const found = [];
    const walk = (dir) => {
      if (!fs.existsSync(dir)) return;
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/exthost\.log$/.test(e.name)) found.push(p);
      }
    };
    walk(logs);
    return found;
  }
}

/** Headless Chromium with a fresh profile under `profile`. */
export async function launchBrowser(playwright, profile) {
  fs.rmSync(profile, { recursive: true, force: true });
  fs.mkdirSync(profile, { recursive: true });
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  return playwright.chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: CHROMIUM_ARGS,
  });
}
