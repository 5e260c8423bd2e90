// A layered drawing of one environment's history, computed without the DOM.
//
// 1. Nodes are revisions (one per file, so a duplicated id gives two), ghost nodes for
//    down_revisions that name nothing, and "N revisions" nodes standing for collapsed
//    linear runs. Edges go from parent to child (down_revision solid, depends_on dotted).
// 2. Cycles are broken by reversing DFS back edges for layering only (drawn as cycle edges).
// 3. Layers by longest path from the bases: bases at the top, heads at the bottom.
// 4. Order within a layer by barycenter sweeps (down, then up), to keep crossings few.
// 5. Each layer is centred, so a linear history is a straight vertical line.

import type { GraphEnvironment, GraphRevision } from '../lsp/graph';

export type NodeKind = 'revision' | 'ghost' | 'run';
export type EdgeKind = 'down' | 'depends';

export interface LayoutNode {
  key: string;
  kind: NodeKind;
  /** The revision id (a run: its first revision's id). */
  id: string;
  title: string;
  subtitle: string;
  /** head, base, merge, branch-point, duplicate, ghost, run, match, dimmed. */
  classes: string[];
  revision?: GraphRevision;
  /** A run's revisions, oldest first. */
  members?: GraphRevision[];
  /** A ghost's referencing revisions. */
  referencedBy?: string[];
  layer: number;
  x: number;
  y: number;
}

export interface LayoutEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Closes a cycle: reversed for layering, drawn against the flow. */
  cycle: boolean;
}

export interface Layout {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  width: number;
  height: number;
  /** Keys of nodes matching the search, in drawing order (top to bottom). */
  matches: string[];
  /** Revisions hidden inside collapsed runs. */
  collapsedRevisions: number;
}

export interface LayoutOptions {
  /** Keys of runs the user expanded. */
  expanded?: ReadonlySet<string>;
  /** Search text: revision id, message or branch label (case-insensitive). */
  query?: string;
  /** Shortest linear run that is collapsed (default 4). */
  minRun?: number;
}

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 46;
const GAP_X = 36;
const GAP_Y = 34;
const MARGIN = 20;
const SWEEPS = 4;

export function revisionKey(r: GraphRevision): string {
  return `r:${r.id}@${r.path}`;
}

export function ghostKey(id: string): string {
  return `g:${id}`;
}

export function runKey(first: GraphRevision): string {
  return `run:${revisionKey(first)}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function matches(query: string, r: GraphRevision): boolean {
  return (
    r.id.toLowerCase().includes(query) ||
    r.message.toLowerCase().includes(query) ||
    r.branch_labels.some((l) => l.toLowerCase().includes(query))
  );
}

function revisionClasses(r: GraphRevision): string[] {
  const c: string[] = [];
  if (r.is_head) c.push('head');
  if (r.is_base) c.push('base');
  if (r.is_merge) c.push('merge');
  if (r.is_branch_point) c.push('branch-point');
  if (r.duplicate) c.push('duplicate');
  return c;
}

function firstLine(s: string): string {
  const line = s.split('\n', 1)[0] ?? '';
  return line.length > 30 ? `${line.slice(0, 29)}…` : line;
}

interface RawGraph {
  nodes: Map<string, LayoutNode>;
  edges: LayoutEdge[];
}

/** Revisions, ghosts and the edges between them, before collapsing. */
function buildGraph(env: GraphEnvironment, query: string): RawGraph {
  const nodes = new Map<string, LayoutNode>();
  const byId = new Map<string, string[]>();
  const labels = new Set<string>();
  for (const r of env.revisions) {
    const key = revisionKey(r);
    const classes = revisionClasses(r);
    if (query !== '') classes.push(matches(query, r) ? 'match' : 'dimmed');
    nodes.set(key, {
      key, kind: 'revision', id: r.id, title: r.id, subtitle: firstLine(r.message),
      classes, revision: r, layer: 0, x: 0, y: 0,
    });
    pushTo(byId, r.id, key);
    for (const l of r.branch_labels) labels.add(l);
  }
  const ghost = (id: string, child: string): string => {
    const key = ghostKey(id);
    let node = nodes.get(key);
    if (!node) {
      const classes = ['ghost'];
      if (query !== '') classes.push(id.toLowerCase().includes(query) ? 'match' : 'dimmed');
      node = { key, kind: 'ghost', id, title: id, subtitle: 'missing revision', classes, referencedBy: [], layer: 0, x: 0, y: 0 };
      nodes.set(key, node);
    }
    if (!node.referencedBy?.includes(child)) node.referencedBy?.push(child);
    return key;
  };
  for (const m of env.missing) for (const child of m.referenced_by) ghost(m.id, child);

  const edges: LayoutEdge[] = [];
  for (const r of env.revisions) {
    const child = revisionKey(r);
    for (const d of r.down_revisions) {
      for (const parent of byId.get(d) ?? [ghost(d, r.id)]) edges.push({ from: parent, to: child, kind: 'down', cycle: false });
    }
    for (const d of r.depends_on) {
      const parents = byId.get(d) ?? (labels.has(d) ? [] : [ghost(d, r.id)]);
      for (const parent of parents) edges.push({ from: parent, to: child, kind: 'depends', cycle: false });
    }
  }
  return { nodes, edges };
}

/** Replaces linear runs of at least minRun plain revisions by one node each. */
function collapseRuns(g: RawGraph, expanded: ReadonlySet<string>, minRun: number): number {
  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  const hasDepends = new Set<string>();
  for (const e of g.edges) {
    if (e.kind === 'depends') {
      hasDepends.add(e.from);
      hasDepends.add(e.to);
      continue;
    }
    pushTo(children, e.from, e.to);
    pushTo(parents, e.to, e.from);
  }
  const plain = (key: string): boolean => {
    const n = g.nodes.get(key);
    return (
      n !== undefined && n.kind === 'revision' && !hasDepends.has(key) &&
      !n.classes.some((c) => c !== 'dimmed') &&
      parents.get(key)?.length === 1 && children.get(key)?.length === 1
    );
  };
  const owner = new Map<string, string>();
  let hidden = 0;
  for (const start of g.nodes.keys()) {
    if (!plain(start) || plain((parents.get(start) ?? [])[0] ?? '')) continue;
    const run: string[] = [];
    const seen = new Set<string>();
    for (let k: string | undefined = start; k !== undefined && plain(k) && !seen.has(k); k = children.get(k)?.[0]) {
      seen.add(k);
      run.push(k);
    }
    const first = g.nodes.get(run[0])?.revision;
    const last = g.nodes.get(run[run.length - 1])?.revision;
    if (run.length < minRun || !first || !last || expanded.has(runKey(first))) continue;
    const members = run.map((k) => g.nodes.get(k)?.revision).filter((r): r is GraphRevision => r !== undefined);
    const key = runKey(first);
    const dimmed = run.every((k) => g.nodes.get(k)?.classes.includes('dimmed'));
    g.nodes.set(key, {
      key, kind: 'run', id: first.id, title: `${run.length} revisions`,
      subtitle: `${first.id.slice(0, 12)} … ${last.id.slice(0, 12)}`,
      classes: dimmed ? ['run', 'dimmed'] : ['run'], members, layer: 0, x: 0, y: 0,
    });
    for (const k of run) {
      owner.set(k, key);
      g.nodes.delete(k);
    }
    hidden += run.length;
  }
  if (owner.size > 0) {
    const mapped = g.edges.map((e) => ({ ...e, from: owner.get(e.from) ?? e.from, to: owner.get(e.to) ?? e.to }));
    g.edges = mapped.filter((e) => e.from !== e.to);
  }
  return hidden;
}

/** Marks DFS back edges as cycle edges (iterative: histories can be thousands deep). */
function breakCycles(keys: string[], edges: LayoutEdge[]): void {
  const out = new Map<string, LayoutEdge[]>();
  for (const e of edges) pushTo(out, e.from, e);
  const state = new Map<string, 1 | 2>(); // 1: on the stack, 2: done
  for (const root of keys) {
    if (state.has(root)) continue;
    const stack: Array<{ key: string; next: number }> = [{ key: root, next: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const list = out.get(top.key) ?? [];
      if (top.next >= list.length) {
        state.set(top.key, 2);
        stack.pop();
        continue;
      }
      const e = list[top.next++];
      const s = state.get(e.to);
      if (s === 1) e.cycle = true;
      else if (s === undefined) {
        state.set(e.to, 1);
        stack.push({ key: e.to, next: 0 });
      }
    }
  }
}

/** Longest-path layers; returns the keys in topological order. */
function assignLayers(nodes: Map<string, LayoutNode>, edges: LayoutEdge[]): string[] {
  const indegree = new Map<string, number>();
  const out = new Map<string, string[]>();
  for (const k of nodes.keys()) indegree.set(k, 0);
  for (const e of edges) {
    if (e.cycle) continue;
    indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
    pushTo(out, e.from, e.to);
  }
  const queue = [...nodes.keys()].filter((k) => indegree.get(k) === 0);
  const order: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const k = queue[i];
    order.push(k);
    const layer = nodes.get(k)?.layer ?? 0;
    for (const c of out.get(k) ?? []) {
      const child = nodes.get(c);
      if (child && child.layer < layer + 1) child.layer = layer + 1;
      const left = (indegree.get(c) ?? 0) - 1;
      indegree.set(c, left);
      if (left === 0) queue.push(c);
    }
  }
  return order;
}

interface Neighbours {
  /** Parents (for a cycle edge, the child it loops back to). */
  up: Map<string, string[]>;
  down: Map<string, string[]>;
}

function neighboursOf(edges: LayoutEdge[]): Neighbours {
  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  for (const e of edges) {
    const [a, b] = e.cycle ? [e.to, e.from] : [e.from, e.to];
    pushTo(down, a, b);
    pushTo(up, b, a);
  }
  return { up, down };
}

function mean(values: number[]): number | undefined {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

/** Orders each layer by the mean position of its neighbours, sweeping down then up. */
function orderLayers(order: string[], nodes: Map<string, LayoutNode>, near: Neighbours): string[][] {
  const layers: string[][] = [];
  for (const k of order) {
    const layer = nodes.get(k)?.layer ?? 0;
    (layers[layer] ??= []).push(k);
  }
  const position = new Map<string, number>();
  const remember = (layer: string[]): void => layer.forEach((k, i) => position.set(k, i));
  layers.forEach(remember);
  const sortBy = (layer: string[], neighbours: Map<string, string[]>): void => {
    const score = new Map<string, number>();
    for (const [i, k] of layer.entries()) {
      const ps = (neighbours.get(k) ?? []).map((n) => position.get(n)).filter((p): p is number => p !== undefined);
      score.set(k, mean(ps) ?? i);
    }
    layer.sort((a, b) => (score.get(a) ?? 0) - (score.get(b) ?? 0));
    remember(layer);
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (let i = 1; i < layers.length; i++) sortBy(layers[i] ?? [], near.up);
    for (let i = layers.length - 2; i >= 0; i--) sortBy(layers[i] ?? [], near.down);
  }
  return layers.map((l) => l ?? []);
}

/**
 * Puts the nodes of one layer where `wish` says (in order, at least a node and a gap
 * apart), then shifts the layer as a whole to sit as close to the wishes as it can.
 */
function placeLayer(layer: string[], wish: (key: string) => number | undefined, x: Map<string, number>): void {
  const step = NODE_WIDTH + GAP_X;
  const wishes = layer.map(wish);
  let previous = -Infinity;
  const placed = wishes.map((w) => {
    const at = Math.max(w ?? previous + step, previous + step);
    previous = at;
    return Number.isFinite(at) ? at : 0;
  });
  const shift = mean(wishes.flatMap((w, i) => (w === undefined ? [] : [w - placed[i]]))) ?? 0;
  layer.forEach((k, i) => x.set(k, placed[i] + shift));
}

/** x positions: each node under its parents (a linear history is a straight line). */
function placeNodes(layers: string[][], near: Neighbours): Map<string, number> {
  const x = new Map<string, number>();
  const meanOf = (keys: string[] | undefined): number | undefined =>
    mean((keys ?? []).map((k) => x.get(k)).filter((v): v is number => v !== undefined));
  const downward = (): void => {
    for (let i = 1; i < layers.length; i++) placeLayer(layers[i], (k) => meanOf(near.up.get(k)) ?? x.get(k), x);
  };
  if (layers.length > 0) placeLayer(layers[0], () => undefined, x);
  downward();
  // Nodes without parents (bases, ghosts) move over their children; then again downwards.
  for (let i = layers.length - 2; i >= 0; i--) {
    placeLayer(layers[i], (k) => (near.up.get(k)?.length ? x.get(k) : meanOf(near.down.get(k)) ?? x.get(k)), x);
  }
  downward();
  return x;
}

/** Lays out one environment. */
export function layoutEnvironment(env: GraphEnvironment, options: LayoutOptions = {}): Layout {
  const query = (options.query ?? '').trim().toLowerCase();
  const g = buildGraph(env, query);
  const collapsedRevisions = collapseRuns(g, options.expanded ?? new Set(), Math.max(2, options.minRun ?? 4));
  breakCycles([...g.nodes.keys()], g.edges);
  const near = neighboursOf(g.edges);
  const layers = orderLayers(assignLayers(g.nodes, g.edges), g.nodes, near);
  const x = placeNodes(layers, near);

  let left = Infinity;
  let right = -Infinity;
  for (const v of x.values()) {
    left = Math.min(left, v);
    right = Math.max(right, v);
  }
  if (!Number.isFinite(left)) left = right = 0;
  const nodes: LayoutNode[] = [];
  layers.forEach((layer, li) => {
    for (const k of layer) {
      const n = g.nodes.get(k);
      if (!n) continue;
      n.x = MARGIN + (x.get(k) ?? 0) - left;
      n.y = MARGIN + li * (NODE_HEIGHT + GAP_Y);
      nodes.push(n);
    }
  });
  return {
    nodes,
    edges: g.edges,
    width: 2 * MARGIN + right - left + NODE_WIDTH,
    height: 2 * MARGIN + layers.length * (NODE_HEIGHT + GAP_Y) - GAP_Y,
    matches: nodes.filter((n) => n.classes.includes('match')).map((n) => n.key),
    collapsedRevisions,
  };
}
