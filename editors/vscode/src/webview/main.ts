// The graph webview's script: receives environments from the extension, draws the chosen
// one, and sends a message to open a revision's file when a node is clicked.

import type { GraphEnvironment } from '../lsp/graph';
import { layoutEnvironment, type Layout, type LayoutNode } from './layout';
import type { FromWebview, ToWebview } from './protocol';
import { renderLayout } from './render';
import './graph.css';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  environment?: string;
  query?: string;
  expanded?: string[];
  expandAll?: boolean;
  zoom?: number;
}

const vscode = acquireVsCodeApi();
const saved = (vscode.getState() as SavedState | undefined) ?? {};

const state = {
  environments: [] as GraphEnvironment[],
  environment: saved.environment,
  active: undefined as string | undefined,
  query: saved.query ?? '',
  expanded: new Set(saved.expanded ?? []),
  expandAll: saved.expandAll ?? false,
  /** Undefined until the first picture: then fit to the width (never below 40%). */
  zoom: saved.zoom,
  indexing: false,
  layout: undefined as Layout | undefined,
  currentMatch: -1,
  /** Per environment: the revisions `alembic current` reported. */
  current: {} as Record<string, string[]>,
  /** The revision the Alembic buttons act on (the last one clicked). */
  selected: undefined as { env: string; id: string; path: string } | undefined,
};

function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`graph page: #${id} is missing`);
  return e as T;
}

const canvas = byId<HTMLElement>('canvas');
const search = byId<HTMLInputElement>('search');
const select = byId<HTMLSelectElement>('environment');
const matchesLabel = byId<HTMLElement>('matches');
const summary = byId<HTMLElement>('summary');
const status = byId<HTMLElement>('status');
const selectedLabel = byId<HTMLElement>('selected');
const runButtons = [...document.querySelectorAll<HTMLButtonElement>('#alembic-actions button[data-action]')];

function save(): void {
  const s: SavedState = {
    environment: state.environment, query: state.query, expanded: [...state.expanded],
    expandAll: state.expandAll, zoom: state.zoom,
  };
  vscode.setState(s);
}

function shownEnvironment(): GraphEnvironment | undefined {
  const names = [state.environment, state.active];
  for (const n of names) {
    const env = state.environments.find((e) => e.name === n);
    if (env) return env;
  }
  return state.environments[0];
}

function fillSelect(current: GraphEnvironment | undefined): void {
  select.hidden = state.environments.length < 2;
  select.replaceChildren(...state.environments.map((e) => {
    const o = document.createElement('option');
    o.value = e.name;
    o.textContent = `${e.name} (${e.heads.length} heads)`;
    o.selected = e === current;
    return o;
  }));
}

function describe(env: GraphEnvironment, layout: Layout): string {
  const heads = env.heads.length;
  const parts = [`${env.revisions.length} revisions`, `${heads} ${heads === 1 ? 'head' : 'heads'}`];
  if (env.missing.length) parts.push(`${env.missing.length} missing`);
  if (layout.collapsedRevisions) parts.push(`${layout.collapsedRevisions} folded`);
  return parts.join(' · ');
}

function draw(): void {
  const env = shownEnvironment();
  fillSelect(env);
  if (!env) {
    canvas.replaceChildren();
    state.layout = undefined;
    status.textContent = state.indexing ? 'The server is indexing the workspace…' : 'No Alembic environment found.';
    summary.textContent = '';
    matchesLabel.textContent = '';
    return;
  }
  const scrollTop = canvas.scrollTop;
  const scrollLeft = canvas.scrollLeft;
  const layout = layoutEnvironment(env, {
    expanded: state.expanded, query: state.query, minRun: state.expandAll ? Number.MAX_SAFE_INTEGER : 4,
  });
  state.layout = layout;
  state.zoom ??= Math.min(1, Math.max(0.4, (canvas.clientWidth - 4) / layout.width));
  canvas.replaceChildren(renderLayout(layout, state.zoom, new Set(state.current[env.name] ?? [])));
  showSelection(env);
  canvas.scrollTop = scrollTop;
  canvas.scrollLeft = scrollLeft;
  status.textContent = state.indexing ? 'The server is still indexing: the graph may be incomplete.' : '';
  summary.textContent = describe(env, layout);
  matchesLabel.textContent = state.query.trim() ? `${layout.matches.length} ${layout.matches.length === 1 ? 'match' : 'matches'}` : '';
  document.body.dataset.environment = env.name;
  // Lets a test (or a user's devtools) see that a new picture is on screen.
  document.body.dataset.renders = String(Number(document.body.dataset.renders ?? '0') + 1);
}

/** The picked revision: outlined, named beside the Alembic buttons, which it enables. */
function showSelection(env: GraphEnvironment): void {
  if (state.selected && (state.selected.env !== env.name || !env.revisions.some((r) => r.path === state.selected?.path))) {
    state.selected = undefined;
  }
  const picked = state.selected;
  canvas.querySelectorAll('.node.selected').forEach((n) => n.classList.remove('selected'));
  if (picked) canvas.querySelector(`.node.revision[data-id="${CSS.escape(picked.id)}"]`)?.classList.add('selected');
  const current = state.current[env.name];
  selectedLabel.textContent = (picked ? `Revision ${picked.id}` : 'Click a revision to pick it.')
    + (current ? ` · database at ${current.length ? current.join(', ') : 'no revision'}` : '');
  for (const b of runButtons) b.disabled = b.dataset.action === 'current' ? env.revisions.length === 0 : !picked;
}

function runAlembic(action: string): void {
  const env = shownEnvironment();
  if (!env) return;
  // "Show current revision" needs only the environment: any of its revisions names it.
  const target = state.selected ?? (action === 'current' ? env.revisions[0] : undefined);
  if (!target || (action !== 'upgrade' && action !== 'downgrade' && action !== 'stamp' && action !== 'current')) return;
  vscode.postMessage({ type: 'alembic', action, id: target.id, path: target.path });
}

function showMatch(step: number): void {
  const matches = state.layout?.matches ?? [];
  if (matches.length === 0) return;
  state.currentMatch = (state.currentMatch + step + matches.length) % matches.length;
  canvas.querySelectorAll('.node.current').forEach((n) => n.classList.remove('current'));
  const node = canvas.querySelector(`.node[data-key="${CSS.escape(matches[state.currentMatch])}"]`);
  node?.classList.add('current');
  node?.scrollIntoView({ block: 'center', inline: 'center' });
}

function nodeOf(target: EventTarget | null): LayoutNode | undefined {
  const g = target instanceof Element ? target.closest('.node') : null;
  const key = g?.getAttribute('data-key');
  return state.layout?.nodes.find((n) => n.key === key);
}

function activate(node: LayoutNode): void {
  if (node.kind === 'run') {
    state.expanded.add(node.key);
    save();
    draw();
    return;
  }
  if (node.kind === 'ghost') {
    // Open the migration that names the missing revision: that is where the fix goes.
    const env = shownEnvironment();
    const child = env?.revisions.find((r) => node.referencedBy?.includes(r.id));
    if (child) vscode.postMessage({ type: 'open', path: child.path, line: child.line });
    return;
  }
  if (node.revision) {
    const env = shownEnvironment();
    if (env) {
      state.selected = { env: env.name, id: node.revision.id, path: node.revision.path };
      showSelection(env);
    }
    vscode.postMessage({ type: 'open', path: node.revision.path, line: node.revision.line });
  }
}

canvas.addEventListener('click', (e) => {
  const node = nodeOf(e.target);
  if (node) activate(node);
});
canvas.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' && e.key !== ' ') return;
  const node = nodeOf(e.target);
  if (node) {
    e.preventDefault();
    activate(node);
  }
});
search.value = state.query;
search.addEventListener('input', () => {
  state.query = search.value;
  state.currentMatch = -1;
  save();
  draw();
  if (state.query.trim()) showMatch(1);
});
search.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') showMatch(e.shiftKey ? -1 : 1);
});
select.addEventListener('change', () => {
  state.environment = select.value;
  save();
  draw();
});
byId('expand-all').addEventListener('click', () => {
  state.expandAll = true;
  save();
  draw();
});
byId('collapse-all').addEventListener('click', () => {
  state.expandAll = false;
  state.expanded.clear();
  save();
  draw();
});
const zoomBy = (factor: number): void => {
  state.zoom = Math.min(3, Math.max(0.2, (state.zoom ?? 1) * factor));
  save();
  draw();
};
for (const b of runButtons) b.addEventListener('click', () => runAlembic(b.dataset.action ?? ''));
byId('zoom-in').addEventListener('click', () => zoomBy(1.25));
byId('zoom-out').addEventListener('click', () => zoomBy(0.8));
byId('zoom-fit').addEventListener('click', () => {
  state.zoom = undefined;
  save();
  draw();
});

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  if (m.type === 'graph') {
    state.environments = m.environments;
    state.active = m.active;
    state.indexing = m.indexing ?? false;
    state.current = m.current ?? {};
    draw();
  } else if (m.type === 'error') {
    status.textContent = m.message;
  }
});

vscode.postMessage({ type: 'ready' });
