import {PGlite} from '@electric-sql/pglite';
import type {OutboxDatabase, Queryable} from './database.js';

/**
 * PGlite: PostgreSQL in WebAssembly, in this process, in memory or in a data
 * directory. It has one connection, so every transaction here takes a turn
 * (`turn`): two relays on one PGlite never interleave, whatever they lock.
 */
export class PgliteDatabase implements OutboxDatabase {
  readonly singleConnection = true;
  readonly url = null;
  private turn: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: PGlite,
    readonly description: string,
  ) {}

  /** In memory when `dataDir` is not given. */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    const db = await PGlite.create(dataDir);
    return new PgliteDatabase(db, dataDir ? `pglite (${dataDir})` : 'pglite (in memory)');
  }

  /** A second, independent in-memory database: much faster than starting one (no initdb). */
  async clone(): Promise<PgliteDatabase> {
    return new PgliteDatabase((await this.inTurn(() => this.db.clone())) as PGlite, 'pglite (in memory)');
  }

  query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.inTurn(async () => (await this.db.query<T>(sql, params)).rows);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.inTurn(() => this.db.transaction(async (tx) => fn({query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows})));
  }

  async close(): Promise<void> {
    await this.turn.catch(() => {});
    await this.db.close();
  }

  private inTurn<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(fn, fn);
    this.turn = run.catch(() => {});
    return run;
  }
}
