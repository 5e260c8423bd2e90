// Messages between the extension and the graph webview.

import type { GraphEnvironment } from '../lsp/graph';

/** Extension → webview: the environments to draw and the one to show first. */
export interface GraphMessage {
  type: 'graph';
  environments: GraphEnvironment[];
  /** Name of the environment to show when the user has not picked one. */
  active?: string;
  /** The server is still indexing; the picture may be incomplete. */
  indexing?: boolean;
  /** Per environment name: the revisions `alembic current` last reported for its database. */
  current?: Record<string, string[]>;
}

/** Extension → webview: the server could not be asked. */
export interface ErrorMessage {
  type: 'error';
  message: string;
}

export type ToWebview = GraphMessage | ErrorMessage;

/** What the graph's Alembic buttons run (the extension's alembic.* commands). */
export type GraphAlembicAction = 'upgrade' | 'downgrade' | 'stamp' | 'current';
const ACTIONS: readonly string[] = ['upgrade', 'downgrade', 'stamp', 'current'];

/** Webview → extension. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'open'; path: string; line: number }
  | { type: 'alembic'; action: GraphAlembicAction; id: string; path: string }
  | { type: 'refresh' };

export function isFromWebview(m: unknown): m is FromWebview {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'ready' || t === 'refresh') return true;
  if (t === 'alembic') {
    const { action, id, path } = m as { action?: unknown; id?: unknown; path?: unknown };
    return typeof action === 'string' && ACTIONS.includes(action) && typeof id === 'string' && typeof path === 'string';
  }
  if (t !== 'open') return false;
  const { path, line } = m as { path?: unknown; line?: unknown };
  return typeof path === 'string' && typeof line === 'number';
}
