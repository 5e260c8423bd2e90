// Draws a Layout as SVG elements (DOM only, no strings of markup: the webview's content
// security policy forbids inline styles, and ids and messages must never become markup).

import { NODE_HEIGHT, NODE_WIDTH, type Layout, type LayoutEdge, type LayoutNode } from './layout';

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  parent?: Element,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function tooltip(n: LayoutNode): string {
  if (n.kind === 'ghost') {
    return `${n.id}: no revision has this id\nnamed by ${(n.referencedBy ?? []).join(', ')}\n(click: open the first)`;
  }
  if (n.kind === 'run') {
    const ids = (n.members ?? []).map((m) => m.id);
    const shown = ids.length > 12 ? [...ids.slice(0, 6), '…', ...ids.slice(-5)] : ids;
    return `${ids.length} revisions in a line (click to expand):\n${shown.join('\n')}`;
  }
  const r = n.revision;
  if (!r) return n.id;
  const facts = [
    r.is_head && 'head', r.is_base && 'base', r.is_merge && 'merge point',
    r.is_branch_point && 'branch point', r.duplicate && 'DUPLICATED id',
  ].filter(Boolean);
  const lines = [`${r.id}${facts.length ? ` (${facts.join(', ')})` : ''}`, r.message];
  if (r.down_revisions.length) lines.push(`down_revision: ${r.down_revisions.join(', ')}`);
  if (r.depends_on.length) lines.push(`depends_on: ${r.depends_on.join(', ')}`);
  if (r.branch_labels.length) lines.push(`branch_labels: ${r.branch_labels.join(', ')}`);
  lines.push(`${r.path}:${r.line}`);
  return lines.join('\n');
}

function drawNode(n: LayoutNode, parent: Element, current: ReadonlySet<string>): void {
  const atCurrent = n.kind === 'revision' && current.has(n.id);
  const g = el('g', {
    class: [...new Set(['node', n.kind, ...n.classes, ...(atCurrent ? ['db-current'] : [])])].join(' '),
    transform: `translate(${n.x},${n.y})`,
    'data-key': n.key,
    'data-id': n.id,
    tabindex: 0,
    role: 'button',
  }, parent);
  el('title', {}, g).textContent = tooltip(n);
  el('rect', { class: 'box', width: NODE_WIDTH, height: NODE_HEIGHT, rx: 6, ry: 6 }, g);
  if (n.classes.includes('duplicate')) {
    el('rect', { class: 'inner', x: 3, y: 3, width: NODE_WIDTH - 6, height: NODE_HEIGHT - 6, rx: 4, ry: 4 }, g);
  }
  const badge = n.classes.includes('head') ? 'HEAD' : n.classes.includes('merge') ? 'MERGE'
    : n.classes.includes('ghost') ? 'MISSING' : n.classes.includes('duplicate') ? 'DUP' : '';
  // Monospace ids: about 7.5 px a character; leave the badge its corner.
  el('text', { class: 'title', x: 10, y: 19 }, g).textContent = clip(n.title, badge ? 27 - badge.length : 27);
  el('text', { class: 'subtitle', x: 10, y: 36 }, g).textContent = clip(n.subtitle, atCurrent ? 20 : 32);
  if (badge) el('text', { class: 'badge', x: NODE_WIDTH - 8, y: 15, 'text-anchor': 'end' }, g).textContent = badge;
  if (atCurrent) el('text', { class: 'db-badge', x: NODE_WIDTH - 8, y: 36, 'text-anchor': 'end' }, g).textContent = '● current';
}

function edgePath(from: LayoutNode, to: LayoutNode): string {
  const x1 = from.x + NODE_WIDTH / 2;
  const y1 = from.y + NODE_HEIGHT;
  const x2 = to.x + NODE_WIDTH / 2;
  const y2 = to.y;
  if (y2 > y1) {
    const bend = Math.min(60, (y2 - y1) / 2);
    return `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`;
  }
  // A cycle edge points back up: loop around the right-hand side.
  const side = Math.max(from.x, to.x) + NODE_WIDTH + 30;
  return `M${from.x + NODE_WIDTH},${from.y + NODE_HEIGHT / 2} C${side},${from.y + NODE_HEIGHT / 2} ${side},${to.y + NODE_HEIGHT / 2} ${to.x + NODE_WIDTH},${to.y + NODE_HEIGHT / 2}`;
}

function drawEdge(e: LayoutEdge, byKey: Map<string, LayoutNode>, parent: Element): void {
  const from = byKey.get(e.from);
  const to = byKey.get(e.to);
  if (!from || !to) return;
  const classes = ['edge', e.kind];
  if (e.cycle) classes.push('cycle');
  if (from.classes.includes('dimmed') && to.classes.includes('dimmed')) classes.push('dimmed');
  el('path', {
    class: classes.join(' '), d: edgePath(from, to), 'marker-end': 'url(#arrow)',
    'data-from': e.from, 'data-to': e.to,
  }, parent);
}

/** A fresh <svg> for the layout at the given zoom; `current`: ids `alembic current` reported. */
export function renderLayout(layout: Layout, zoom: number, current: ReadonlySet<string> = new Set()): SVGSVGElement {
  const svg = el('svg', {
    class: 'graph',
    width: Math.ceil(layout.width * zoom),
    height: Math.ceil(layout.height * zoom),
    viewBox: `0 0 ${layout.width} ${layout.height}`,
  });
  const defs = el('defs', {}, svg);
  const marker = el('marker', {
    id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse',
  }, defs);
  el('path', { class: 'arrow', d: 'M0,0 L10,5 L0,10 z' }, marker);
  const byKey = new Map(layout.nodes.map((n) => [n.key, n]));
  const edges = el('g', { class: 'edges' }, svg);
  for (const e of layout.edges) drawEdge(e, byKey, edges);
  const nodes = el('g', { class: 'nodes' }, svg);
  for (const n of layout.nodes) drawNode(n, nodes, current);
  return svg;
}
