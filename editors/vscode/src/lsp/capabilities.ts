// The client capabilities alembic-lsp's features rely on. The extension merges them into
// what vscode-languageclient computes (a no-op with the pinned version, which sends all
// of them; the unit test checks that), and the integration test sends the same set, so a
// client change that drops one shows up as a failing test rather than a missing feature.

import type { FeatureState, StaticFeature } from 'vscode-languageclient';
import type { ClientCapabilities } from 'vscode-languageserver-protocol';

export const ALEMBIC_CLIENT_CAPABILITIES: ClientCapabilities = {
  general: { positionEncodings: ['utf-16'] },
  workspace: {
    // The merge command sends workspace/applyEdit with CreateFile + TextDocumentEdit.
    applyEdit: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    // The server registers **/*.py, alembic.ini, pyproject.toml and script.py.mako watchers.
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    workspaceFolders: true,
    configuration: true,
    executeCommand: { dynamicRegistration: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
    definition: { linkSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      isPreferredSupport: true,
      codeActionLiteralSupport: {
        codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] },
      },
    },
  },
  // The new-migration command shows the file it created (window/showDocument).
  window: { workDoneProgress: true, showMessage: {}, showDocument: { support: true } },
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Adds `extra` to `target` in place: objects are merged key by key, arrays get the
 * missing elements appended, other values from `extra` fill only missing keys or
 * turn `false` into `true`.
 */
export function mergeCapabilities(target: Record<string, unknown>, extra: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(extra)) {
    const current = target[key];
    if (isPlainObject(value)) {
      if (!isPlainObject(current)) target[key] = {};
      mergeCapabilities(target[key] as Record<string, unknown>, value);
    } else if (Array.isArray(value)) {
      const list = Array.isArray(current) ? (current as unknown[]) : [];
      for (const v of value) if (!list.includes(v)) list.push(v);
      target[key] = list;
    } else if (current === undefined || current === false) {
      target[key] = value;
    }
  }
}

/** The keys of `extra` (dotted paths) that `target` does not already provide. */
export function missingCapabilities(target: unknown, extra: unknown, prefix = ''): string[] {
  if (isPlainObject(extra)) {
    const t = isPlainObject(target) ? target : {};
    return Object.entries(extra).flatMap(([k, v]) => missingCapabilities(t[k], v, prefix ? `${prefix}.${k}` : k));
  }
  if (Array.isArray(extra)) {
    const t = Array.isArray(target) ? (target as unknown[]) : [];
    return extra.filter((v) => !t.includes(v)).map((v) => `${prefix}[${JSON.stringify(v)}]`);
  }
  if (extra === true) return target === true ? [] : [prefix];
  return target === undefined ? [prefix] : [];
}

/** Registered on the LanguageClient: adds ALEMBIC_CLIENT_CAPABILITIES to what it sends. */
export class AlembicCapabilities implements StaticFeature {
  fillClientCapabilities(capabilities: ClientCapabilities): void {
    mergeCapabilities(capabilities as Record<string, unknown>, ALEMBIC_CLIENT_CAPABILITIES as Record<string, unknown>);
  }
  initialize(): void {}
  getState(): FeatureState {
    return { kind: 'static' };
  }
  clear(): void {}
}
