// The language client's identity and options, shared by the extension and the tests
// (no `vscode` import).

/** The client id: VS Code reads `alembic.trace.server` for it. */
export const CLIENT_ID = 'alembic';
export const CLIENT_NAME = 'Alembic';

/**
 * Every Python file on disk. The server only analyses files in an environment's version
 * locations and answers nothing elsewhere, so it runs side by side with Pylance or any
 * other Python server without competing for ordinary modules.
 */
export const DOCUMENT_SELECTOR = [{ scheme: 'file', language: 'python' }];

/** initializationOptions sent with `initialize`. */
export interface InitializationOptions {
  /** Let the server fall back to inotify when the client refuses file watching. */
  watchFiles: boolean;
}

export function initializationOptions(): InitializationOptions {
  return { watchFiles: true };
}

/** The server command behind "Alembic: Merge heads" (see server/features/code_actions.cpp). */
export const MERGE_COMMAND = 'alembic.mergeHeads';
/**
 * The server command behind the code lenses above `revision = ...` ("N children", ...):
 * answers with the Locations of the revision's parents or children
 * (see server/features/code_lens.cpp).
 */
export const SHOW_REVISIONS_COMMAND = 'alembic.showRevisions';
/** The code action kind of the same merge, offered in any migration of a multi-head environment. */
export const MERGE_ACTION_KIND = 'source.alembic.mergeHeads';

/** alembic.mergeHeads's answer. */
export interface MergeResult {
  path: string;
  revision: string;
  parents: string[];
  appliedBy: 'client' | 'server';
  /** Other files the same edit changed or the server wrote (the head file); absent from older servers. */
  alsoChanged?: string[];
}
