// The `alembic/graph` request: an environment's revision history, as the server sends it.
// Shared by the status bar, "Show heads" and the graph webview (no `vscode` import).

export const GRAPH_REQUEST = 'alembic/graph';

export interface GraphParams {
  /** A file: only the environment whose version locations hold it (all when none does). */
  uri?: string;
}

export interface GraphRevision {
  id: string;
  /** Absolute path of the migration file. */
  path: string;
  /** 1-based line of the `revision = ...` assignment. */
  line: number;
  down_revisions: string[];
  depends_on: string[];
  branch_labels: string[];
  message: string;
  is_head: boolean;
  is_base: boolean;
  is_merge: boolean;
  is_branch_point: boolean;
  /** Another file declares the same revision id. */
  duplicate: boolean;
}

export interface MissingRevision {
  id: string;
  /** Ids of the revisions naming it as down_revision or depends_on. */
  referenced_by: string[];
}

export interface GraphEnvironment {
  name: string;
  /** alembic.ini or pyproject.toml of the environment (null when none). */
  config: string | null;
  /** The alembic.ini section Alembic reads (`alembic -n SECTION`); null for pyproject.toml or no config. */
  section?: string | null;
  heads: string[];
  bases: string[];
  revisions: GraphRevision[];
  missing: MissingRevision[];
}

export interface GraphResult {
  /** False while the server is still indexing the workspace. */
  indexed?: boolean;
  environments: GraphEnvironment[];
}

/**
 * The files of the heads. A duplicated id is one name for several files, and the server
 * cannot say which copy `alembic heads` means (Alembic lists each copy left without a
 * child), so every copy of a head id is returned.
 */
export function headRevisions(env: GraphEnvironment): GraphRevision[] {
  const ids = new Set(env.heads);
  return env.revisions
    .filter((r) => ids.has(r.id))
    .sort((a, b) => a.id.localeCompare(b.id) || a.path.localeCompare(b.path));
}

/** Number of heads as `alembic heads` lists them (a duplicated head once per copy). */
export function headCount(env: GraphEnvironment): number {
  return env.heads.length;
}

/**
 * The environment the user is looking at: the one holding `activePath` when the answer
 * names one; otherwise the one with the most heads (the one that needs attention).
 */
export function activeEnvironment(envs: GraphEnvironment[], activePath?: string): GraphEnvironment | undefined {
  if (envs.length === 0) return undefined;
  if (activePath !== undefined) {
    const holding = envs.find((e) => e.revisions.some((r) => r.path === activePath));
    if (holding) return holding;
  }
  return [...envs].sort((a, b) => headCount(b) - headCount(a) || a.name.localeCompare(b.name))[0];
}

/** Status bar text: "$(git-merge) 1 head" / "$(warning) 11 heads". */
export function headsLabel(env: GraphEnvironment | undefined): string {
  if (!env) return '$(database) Alembic';
  const n = headCount(env);
  const icon = n > 1 ? '$(warning)' : '$(git-commit)';
  return `${icon} ${n} ${n === 1 ? 'head' : 'heads'}`;
}
