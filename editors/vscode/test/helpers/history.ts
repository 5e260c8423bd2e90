// Small synthetic histories for layout tests, in the alembic/graph shape.

import type { GraphEnvironment, GraphRevision } from '../../src/lsp/graph';

export interface Spec {
  id: string;
  down?: string[];
  depends?: string[];
  message?: string;
  file?: string;
}

/** Fills in the flags the server computes (heads, bases, merges, branch points, duplicates, missing). */
export function environment(specs: Spec[], name = 'migrations'): GraphEnvironment {
  const ids = new Set(specs.map((s) => s.id));
  const children = new Map<string, number>();
  const count = new Map<string, number>();
  for (const s of specs) {
    count.set(s.id, (count.get(s.id) ?? 0) + 1);
    for (const d of s.down ?? []) children.set(d, (children.get(d) ?? 0) + 1);
  }
  const missing = new Map<string, string[]>();
  const revisions: GraphRevision[] = specs.map((s, i) => {
    const down = s.down ?? [];
    for (const d of [...down, ...(s.depends ?? [])]) {
      if (!ids.has(d)) missing.set(d, [...(missing.get(d) ?? []), s.id]);
    }
    return {
      id: s.id,
      path: `/project/migrations/versions/${s.file ?? `${s.id}_${i}.py`}`,
      line: 13,
      down_revisions: down,
      depends_on: s.depends ?? [],
      branch_labels: [],
      message: s.message ?? `change ${s.id}`,
      is_head: !children.has(s.id),
      is_base: down.length === 0,
      is_merge: down.length > 1,
      is_branch_point: (children.get(s.id) ?? 0) > 1,
      duplicate: (count.get(s.id) ?? 0) > 1,
    };
  });
  return {
    name,
    config: '/project/alembic.ini',
    heads: revisions.filter((r) => r.is_head).map((r) => r.id),
    bases: revisions.filter((r) => r.is_base).map((r) => r.id),
    revisions,
    missing: [...missing].map(([id, referenced_by]) => ({ id, referenced_by })),
  };
}

/** r0 <- r1 <- ... <- r(n-1), ids padded to 12 characters. */
export function chain(n: number, prefix = 'r', from?: string): Spec[] {
  const id = (i: number): string => `${prefix}${String(i).padStart(11, '0')}`;
  return Array.from({ length: n }, (_, i) => ({ id: id(i), down: i === 0 ? (from ? [from] : []) : [id(i - 1)] }));
}
