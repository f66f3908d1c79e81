import {ConfigError, OperationError} from '../../core/errors.js';
import type {OutboxDatabase} from './database.js';
import type {PgliteDatabase} from './pglite-database.js';

// PGlite and pg load when a database is opened, not when a command that may open one starts.

export interface DatabaseOptions {
  /** postgres://user:password@host:port/db — a PostgreSQL server. Without it, PGlite. */
  url?: string;
  /** Where PGlite keeps its data; in memory without it. */
  dataDir?: string;
}

/**
 * `count` independent databases: connections to the same server, or PGlite
 * instances in memory (the first started, the others cloned from it).
 */
export async function openDatabases(opts: DatabaseOptions, count: number): Promise<OutboxDatabase[]> {
  const first = await openDatabase(opts);
  const rest: OutboxDatabase[] = [];
  try {
    const cloneable = !opts.url && !opts.dataDir ? (first as PgliteDatabase) : null;
    for (let k = 1; k < count; k++) rest.push(cloneable ? await cloneable.clone() : await openDatabase(opts));
  } catch (error) {
    await Promise.all([first, ...rest].map((db) => db.close()));
    throw error;
  }
  return [first, ...rest];
}

/** The database the options name: a PostgreSQL server for a URL, else PGlite. Errors say what to fix. */
export async function openDatabase(opts: DatabaseOptions = {}): Promise<OutboxDatabase> {
  if (!opts.url) return (await import('./pglite-database.js')).PgliteDatabase.open(opts.dataDir);
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw new ConfigError(`"${opts.url}" is not a database URL — use postgres://USER:PASSWORD@HOST:PORT/DATABASE`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new ConfigError(`"${opts.url}" is not a PostgreSQL URL — use postgres://USER:PASSWORD@HOST:PORT/DATABASE`);
  try {
    return await (await import('./postgres-database.js')).PostgresDatabase.open(opts.url);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const where = `${url.hostname}:${url.port || 5432}`;
    if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EHOSTUNREACH' || /timeout/i.test(e.message)) {
      throw new OperationError(`no PostgreSQL server at ${where} — start one (\`docker compose up -d postgres\`) or fix --database-url`);
    }
    throw new OperationError(`cannot connect to PostgreSQL at ${where}: ${e.message} — check the user, password and database in --database-url`);
  }
}
