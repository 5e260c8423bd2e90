// The tangled example's revision graph in the alembic/graph shape: asked from the real
// server; if a server predates alembic/graph (MethodNotFound), rebuilt from
// `alembic-lsp check --format json` instead.

import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResponseError } from 'vscode-jsonrpc/node';
import { GRAPH_REQUEST, type GraphEnvironment, type GraphResult } from '../../src/lsp/graph';
import { normaliseSettings, serverExecutable } from '../../src/lsp/server';
import { TestClient } from './lspClient';
import { EXTENSION_DIR, serverBinary } from './paths';
import { vscodeClientCapabilities } from './vscodeCapabilities';

interface CheckRevision {
  id: string;
  path: string;
  line: number;
  down_revisions: string[];
  depends_on: string[];
  branch_labels: string[];
  message: string;
}

interface CheckEnvironment {
  name: string;
  config: string | null;
  heads: string[];
  bases: string[];
  branch_points: Record<string, string[]>;
  merge_points: string[];
  revisions: CheckRevision[];
}

/** `check --format json` converted to the alembic/graph shape. */
export function graphFromCheck(root: string): GraphEnvironment[] {
  const run = cp.spawnSync(serverBinary(), ['check', '--format', 'json', root], { encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`check failed: ${run.stderr}`);
  const envs = (JSON.parse(run.stdout) as { environments: CheckEnvironment[] }).environments;
  return envs.map((e) => {
    const ids = new Set(e.revisions.map((r) => r.id));
    const labels = new Set(e.revisions.flatMap((r) => r.branch_labels));
    const count = new Map<string, number>();
    for (const r of e.revisions) count.set(r.id, (count.get(r.id) ?? 0) + 1);
    const missing = new Map<string, string[]>();
    for (const r of e.revisions) {
      for (const d of [...r.down_revisions, ...r.depends_on.filter((x) => !labels.has(x))]) {
        if (!ids.has(d)) missing.set(d, [...(missing.get(d) ?? []), r.id]);
      }
    }
    return {
      name: e.name,
      config: e.config === null ? null : path.resolve(e.config),
      heads: e.heads,
      bases: e.bases,
      revisions: e.revisions.map((r) => ({
        ...r,
        path: path.resolve(r.path),
        is_head: e.heads.includes(r.id),
        is_base: e.bases.includes(r.id),
        is_merge: e.merge_points.includes(r.id),
        is_branch_point: r.id in e.branch_points,
        duplicate: (count.get(r.id) ?? 0) > 1,
      })),
      missing: [...missing].map(([id, referenced_by]) => ({ id, referenced_by })),
    };
  });
}

async function askServer(client: TestClient): Promise<GraphResult> {
  for (;;) {
    const result = await client.connection.sendRequest<GraphResult>(GRAPH_REQUEST, {});
    if (result.indexed !== false) return result;
    await client.until('indexing to finish', () => (client.diagnostics.size > 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every environment of `root` as the server's alembic/graph reports it once indexed. */
export async function graphFromServer(root: string): Promise<{ environments: GraphEnvironment[]; source: string }> {
  const settings = normaliseSettings({ path: serverBinary() });
  const executable = serverExecutable(settings, {
    platform: process.platform, arch: process.arch, extensionPath: EXTENSION_DIR, fileExists: fs.existsSync,
  });
  const client = TestClient.start(executable, root);
  try {
    await client.initialize(root, vscodeClientCapabilities());
    let result: GraphResult;
    try {
      result = await askServer(client);
    } catch (e) {
      if (e instanceof ResponseError && e.code === -32601) {
        return { environments: graphFromCheck(root), source: `check --format json (the server has no ${GRAPH_REQUEST})` };
      }
      throw e;
    }
    await client.shutdown();
    return { environments: result.environments, source: GRAPH_REQUEST };
  } finally {
    client.kill();
  }
}
