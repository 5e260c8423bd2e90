// The pieces of "Alembic: New migration" and "Alembic: Autogenerate migration" that need no
// `vscode` import (unit-tested as they are).

import { shellQuote } from './alembicCommand';
import type { GraphEnvironment } from './graph';

/**
 * The server command that writes the file `alembic revision -m MSG` would, on one head
 * (see server/features/revision_action.h). Its argument: {uri, head?, message?}, where
 * uri is any migration, the config file or the script location of the environment.
 */
export const NEW_MIGRATION_COMMAND = 'alembic.newMigration';
/** The code action kind of "New migration on head X". */
export const NEW_MIGRATION_ACTION_KIND = 'source.alembic.newMigration';

/** alembic.newMigration's argument. */
export interface NewMigrationArgument {
  uri: string;
  head?: string;
  message?: string;
}

/** alembic.newMigration's answer. */
export interface NewMigrationResult {
  path: string;
  uri: string;
  revision: string;
  parent: string | null;
  appliedBy: 'client' | 'server';
  /** Other files the same edit changed or the server wrote (the head file); absent from older servers. */
  alsoChanged?: string[];
}

/** The environment's heads, each id once, in the server's order. */
export function distinctHeads(env: GraphEnvironment): string[] {
  return [...new Set(env.heads)];
}

/** A file naming the environment for the server: a head's file, any migration, or the config. */
export function environmentAnchor(env: GraphEnvironment, preferred?: string): string | undefined {
  if (preferred !== undefined && env.revisions.some((r) => r.path === preferred)) return preferred;
  const heads = new Set(env.heads);
  return env.revisions.find((r) => heads.has(r.id))?.path ?? env.revisions[0]?.path ?? env.config ?? undefined;
}

/** Why a message cannot be used, or undefined when it can (Alembic takes any text). */
export function validateMessage(message: string): string | undefined {
  return /[\r\n]/.test(message) ? 'One line, please: the message becomes the docstring\'s first line and the file name.' : undefined;
}

/**
 * `alembic [-n SECTION] revision --autogenerate -m MSG [--head HEAD]`: the project's own
 * Alembic command (the `alembic.command` setting), as upgrade/downgrade run it.
 */
export function autogenerateCommandLine(command: string, message: string, section?: string | null, head?: string): string {
  const base = command.trim() === '' ? 'alembic' : command.trim();
  const name = section && section !== 'alembic' ? ` -n ${shellQuote(section)}` : '';
  const onHead = head !== undefined ? ` --head ${shellQuote(head)}` : '';
  return `${base}${name} revision --autogenerate -m ${shellQuote(message)}${onHead}`;
}
