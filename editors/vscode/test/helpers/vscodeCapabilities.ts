// The ClientCapabilities VS Code's client (vscode-languageclient, as pinned) sends for this
// extension, computed by the library itself: its modules are loaded with a stand-in for
// the `vscode` module (which only exists inside VS Code), the client is constructed with
// the extension's options and feature, and asked what it would announce.

import Module from 'node:module';
import type { ClientCapabilities } from 'vscode-languageserver-protocol';
import { AlembicCapabilities } from '../../src/lsp/capabilities';
import { CLIENT_ID, CLIENT_NAME, DOCUMENT_SELECTOR, initializationOptions } from '../../src/lsp/client';

/** An object on which every property, call and construction yields another such object. */
function anything(): unknown {
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(function () {}, {
    get(_target, key) {
      if (key === 'then') return undefined; // not a promise
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      if (!cache.has(key)) cache.set(key, anything());
      return cache.get(key);
    },
    apply: () => anything(),
    construct: () => anything() as object,
  });
}

interface ModuleWithLoad {
  _load(this: void, request: string, parent: unknown, isMain: boolean): unknown;
}

interface CapabilityClient {
  registerFeature(feature: AlembicCapabilities): void;
  computeClientCapabilities(): ClientCapabilities;
}

type ClientConstructor = new (
  id: string,
  name: string,
  server: { command: string },
  options: { documentSelector: unknown; initializationOptions: unknown },
) => CapabilityClient;

export const VSCODE_VERSION = '1.82.0';

export function vscodeClientCapabilities(withAlembicFeature = true): ClientCapabilities {
  const loader = Module as unknown as ModuleWithLoad;
  const original = loader._load;
  const stub = anything() as Record<PropertyKey, unknown>;
  const vscode = new Proxy({}, { get: (_t, key) => (key === 'version' ? VSCODE_VERSION : stub[key]) });
  loader._load = (request, parent, isMain) => (request === 'vscode' ? vscode : original(request, parent, isMain));
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LanguageClient } = require('vscode-languageclient/node') as { LanguageClient: ClientConstructor };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, { command: 'alembic-lsp' }, {
      documentSelector: DOCUMENT_SELECTOR,
      initializationOptions: initializationOptions(),
    });
    if (withAlembicFeature) client.registerFeature(new AlembicCapabilities());
    return client.computeClientCapabilities();
  } finally {
    loader._load = original;
  }
}
