// Captures the `initialize` request real VS Code sends to alembic-lsp when the extension
// starts it: `alembic.server.path` points at a wrapper that tees the server's stdin to a
// file and runs the real server; the first JSON-RPC message of that file is the request.
//   node capture-initialize.mjs REPO_ROOT CODE_SERVER_INSTALL VSIX SERVER OUT.json WORKDIR
// Used to make bench/clients/vscode-1.100.3.json.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeServer, launchBrowser, loadPlaywright } from './codeserver.mjs';

const [root, install, vsix, server, out, work] = process.argv.slice(2);
if (!work) {
  console.error('usage: capture-initialize.mjs REPO_ROOT CODE_SERVER_INSTALL VSIX SERVER OUT.json WORKDIR');
  process.exit(2);
}
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const folder = path.join(work, 'examples');
fs.cpSync(path.join(root, 'examples'), folder, { recursive: true });
const stdinCopy = path.join(work, 'stdin.bin');
const wrapper = path.join(work, 'tee-server.sh');
fs.writeFileSync(wrapper, `#!/bin/sh\ntee -a '${stdinCopy}' | '${server}' "$@"\n`, { mode: 0o755 });

const vscode = new CodeServer(install, path.join(work, 'code-server'));
console.log(vscode.installExtension(vsix).trim());
vscode.writeSettings({
  'alembic.server.path': wrapper,
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
});
await vscode.start();
const playwright = loadPlaywright(root);
const browser = await launchBrowser(playwright, path.join(work, 'chromium'));

/** The first complete Content-Length framed message in `bytes`, or undefined. */
function firstMessage(bytes) {
  const text = bytes.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const match = /Content-Length:\s*(\d+)/i.exec(text.slice(0, end));
  if (!match) throw new Error(`no Content-Length in ${JSON.stringify(text.slice(0, end))}`);
  const length = Number(match[1]);
  if (bytes.length < end + 4 + length) return undefined;
  return JSON.parse(bytes.subarray(end + 4, end + 4 + length).toString('utf8'));
}

try {
  const page = browser.pages()[0] ?? await browser.newPage();
  await page.goto(vscode.url(folder));
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  const deadline = Date.now() + 90000;
  let message;
  while (message === undefined && Date.now() < deadline) {
    if (fs.existsSync(stdinCopy)) message = firstMessage(fs.readFileSync(stdinCopy));
    if (message === undefined) await new Promise((r) => setTimeout(r, 250));
  }
  if (message === undefined) throw new Error('the extension did not start the server within 90 s');
  if (message.method !== 'initialize') throw new Error(`first message is ${message.method}, not initialize`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(message, null, 2) + '\n');
  console.log(`wrote ${out}: clientInfo ${JSON.stringify(message.params.clientInfo)}`);
} finally {
  await browser.close();
  await vscode.stop();
}
