// Whether a workspace holds an Alembic project: alembic.ini, a pyproject.toml with a
// [tool.alembic] table, or migration files (a `versions` directory whose modules assign
// `revision` and `down_revision`). No `vscode` import: unit-tested in node.

/** A pyproject.toml that configures Alembic (Alembic 1.16+ reads [tool.alembic]). */
export function hasToolAlembic(pyproject: string): boolean {
  return /^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*alembic[ \t]*\][ \t]*(#.*)?$/m.test(pyproject);
}

/** A Python module that looks like an Alembic migration script. */
export function looksLikeMigration(source: string): boolean {
  return (
    /^revision\s*(:\s*[^=\n]+)?=/m.test(source) && /^down_revision\s*(:\s*[^=\n]+)?=/m.test(source)
  );
}

/** Globs the extension searches (and watches) for, most telling first. */
export const PROJECT_MARKERS = {
  ini: '**/alembic.ini',
  pyproject: '**/pyproject.toml',
  migrations: '**/versions/*.py',
} as const;

/** Folders never searched: virtual environments and dependencies. */
export const SEARCH_EXCLUDE = '{**/node_modules/**,**/.venv/**,**/venv/**,**/.tox/**,**/site-packages/**,**/.git/**}';
