// Bundles the extension (dist/extension.js), the graph webview (dist/webview/graph.js
// and graph.css) and, with --tests, the node tests (out/test/*.test.js).
//   node scripts/build.mjs [--production] [--tests]
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');

const common = {
  absWorkingDir: root,
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
};

const builds = [
  esbuild.build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    // VS Code 1.82 runs extensions on Node 18.
    target: 'node18',
    external: ['vscode'],
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview/graph.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
  }),
];

if (tests) {
  const entryPoints = readdirSync(join(root, 'test'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/${f}`);
  builds.push(
    esbuild.build({
      ...common,
      sourcemap: 'inline',
      entryPoints,
      outdir: 'out/test',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // Tests load vscode-languageclient, vscode-jsonrpc and playwright-core from
      // node_modules as they are (the capability check swaps `vscode` for a stub).
      packages: 'external',
    }),
  );
}

await Promise.all(builds);
