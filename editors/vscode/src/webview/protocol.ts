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
}

/** Extension → webview: the server could not be asked. */
export interface ErrorMessage {
  type: 'error';
  message: string;
}

export type ToWebview = GraphMessage | ErrorMessage;

/** Webview → extension. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'open'; path: string; line: number }
  | { type: 'refresh' };

export function isFromWebview(m: unknown): m is FromWebview {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'ready' || t === 'refresh') return true;
  if (t !== 'open') return false;
  const { path, line } = m as { path?: unknown; line?: unknown };
  return typeof path === 'string' && typeof line === 'number';
}
