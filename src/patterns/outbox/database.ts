/**
 * The outbox's only view of a database: SQL with positional parameters, and
 * transactions. Two implementations: PGlite (PostgreSQL compiled to
 * WebAssembly, in this process: the default, nothing to install) and a
 * PostgreSQL server (`postgres://…`).
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface OutboxDatabase extends Queryable {
  /** "pglite (in memory)", "postgres 127.0.0.1:5432/app": for messages. */
  readonly description: string;
  /**
   * True when the database has one connection (PGlite): transactions run one
   * at a time, so row locks never meet another transaction. Relays sharing it
   * are safe because they are serialized, not because of SKIP LOCKED.
   */
  readonly singleConnection: boolean;
  /** The server's connection string, for clients that need their own connection (logical replication); null for PGlite. */
  readonly url: string | null;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A SQL identifier (schema or table name) as kpat accepts it: lower-case letters, digits and _. */
export function checkIdentifier(name: string, what: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`${what} "${name}" is not a plain SQL identifier — use lower-case letters, digits and _`);
  return name;
}
