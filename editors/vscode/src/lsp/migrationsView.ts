// The `alembic/migrations` request (the migrations view's content) and what the view makes
// of it, without `vscode`: the filter, the labels and markers of a node, its problems.

export const MIGRATIONS_REQUEST = 'alembic/migrations';

export interface MigrationsParams {
  /** A file: only the environment near it (all when omitted). */
  uri?: string;
}

export type RevisionKind = 'head' | 'base' | 'merge' | 'branch-point' | 'duplicate';

export interface MigrationProblem {
  code: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  /** The finding's first sentence. */
  message: string;
  /** 1-based line of the finding in the file. */
  line: number;
}

export interface FileProblem extends MigrationProblem {
  path: string;
  uri: string;
}

export interface MigrationNode {
  id: string;
  message: string;
  /** Absolute path of the migration file. */
  path: string;
  uri: string;
  /** 1-based line of `revision = ...`. */
  line: number;
  kinds: RevisionKind[];
  branch_labels: string[];
  /** down_revision, as written (ids that may be missing). */
  parents: string[];
  children: string[];
  depends_on: string[];
  problems: MigrationProblem[];
}

export interface MigrationsEnvironment {
  name: string;
  config: string | null;
  section: string | null;
  heads: string[];
  bases: string[];
  /** From the bases to the heads: each revision after its parents (a cycle's members last). */
  revisions: MigrationNode[];
  missing: Array<{ id: string; referenced_by: string[] }>;
  /** Problems of files in the environment that declare no revision. */
  problems: FileProblem[];
}

export interface MigrationsResult {
  indexed: boolean;
  environments: MigrationsEnvironment[];
}

/**
 * Whether a revision matches the filter: every word of it is part of the id or of the
 * message (case-insensitive). An empty filter matches everything.
 */
export function matchesFilter(node: Pick<MigrationNode, 'id' | 'message'>, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const id = node.id.toLowerCase();
  const message = node.message.toLowerCase();
  return words.every((w) => id.includes(w) || message.includes(w));
}

const KIND_NAMES: Record<RevisionKind, string> = {
  head: 'head',
  base: 'base',
  merge: 'merge point',
  'branch-point': 'branch point',
  duplicate: 'duplicated id',
};

/** The markers shown after a node's id: "current · head · merge point · (billing)". */
export function markers(node: MigrationNode, current: boolean): string[] {
  const out: string[] = [];
  if (current) out.push('current');
  for (const k of node.kinds) out.push(KIND_NAMES[k]);
  if (node.branch_labels.length) out.push(`(${node.branch_labels.join(', ')})`);
  return out;
}

/** The first line of a revision's message. */
export function summary(message: string): string {
  return message.split('\n')[0].trim();
}

/** A node's description: its markers, then its message's first line. */
export function description(node: MigrationNode, current: boolean): string {
  const m = markers(node, current);
  const text = summary(node.message);
  return [m.join(' · '), text].filter(Boolean).join(' — ');
}

/** The worst severity among a node's problems, or undefined when it has none. */
export function worstSeverity(problems: MigrationProblem[]): MigrationProblem['severity'] | undefined {
  const order: MigrationProblem['severity'][] = ['error', 'warning', 'info', 'hint'];
  for (const s of order) if (problems.some((p) => p.severity === s)) return s;
  return undefined;
}

/** The icon (codicon name) of a node: a problem wins, then the database's current, then the kind. */
export function iconOf(node: MigrationNode, current: boolean): string {
  const worst = worstSeverity(node.problems);
  if (worst === 'error') return 'error';
  if (worst === 'warning') return 'warning';
  if (current) return 'database';
  if (node.kinds.includes('merge')) return 'git-merge';
  if (node.kinds.includes('branch-point')) return 'repo-forked';
  if (node.kinds.includes('head')) return 'arrow-up';
  if (node.kinds.includes('base')) return 'debug-start';
  return 'git-commit';
}

/** The nodes of an environment's heads (every copy of a duplicated head id). */
export function headNodes(env: MigrationsEnvironment): MigrationNode[] {
  return env.revisions.filter((r) => r.kinds.includes('head'));
}

/** The nodes a revision's parents name (several for a duplicated id); missing ids are left out. */
export function parentNodes(env: MigrationsEnvironment, node: MigrationNode): MigrationNode[] {
  return node.parents.flatMap((id) => env.revisions.filter((r) => r.id === id));
}

/** A node's problems as lines of text (its tooltip). */
export function problemLines(node: MigrationNode): string[] {
  return node.problems.map((p) => `${p.severity} ${p.code} (line ${p.line}): ${p.message}`);
}
