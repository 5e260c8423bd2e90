// The command line of "Upgrade to here", "Downgrade to here", "Stamp" and "Show current
// revision" (no `vscode` import: unit-tested as it is).

export type AlembicAction = 'upgrade' | 'downgrade' | 'stamp' | 'current';

/** Single-quotes a word for POSIX shells when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The configured Alembic command (default `alembic`), `-n SECTION` when the environment
 * is an alembic.ini section other than Alembic's default [alembic] (a multi-section ini),
 * then the subcommand and the revision.
 */
export function alembicCommandLine(command: string, action: AlembicAction, revision?: string, section?: string | null): string {
  const base = command.trim() === '' ? 'alembic' : command.trim();
  const name = section && section !== 'alembic' ? ` -n ${shellQuote(section)}` : '';
  return action === 'current' ? `${base}${name} current` : `${base}${name} ${action} ${shellQuote(revision ?? '')}`;
}

/** What `alembic current` printed: the revision ids at the start of its stdout lines. */
export function parseCurrent(stdout: string): string[] {
  const ids: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^([0-9A-Za-z_]+)(?: \((?:head|effective head|mergepoint|branchpoint)\))*\s*$/.exec(line.trim());
    if (m) ids.push(m[1]);
  }
  return ids;
}
