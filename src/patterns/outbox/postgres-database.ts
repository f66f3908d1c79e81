import pg from 'pg';
import type {OutboxDatabase, Queryable} from './database.js';

/** A PostgreSQL server through a small connection pool: transactions really run side by side, and row locks matter. */
export class PostgresDatabase implements OutboxDatabase {
  readonly singleConnection = false;

  private constructor(
    private readonly pool: pg.Pool,
    readonly url: string,
    readonly description: string,
  ) {}

  /** Connects once, so a wrong URL or a server that is down fails here, not at the first order. */
  static async open(url: string, poolSize = 4): Promise<PostgresDatabase> {
    const pool = new pg.Pool({connectionString: url, max: poolSize, connectionTimeoutMillis: 5000});
    // An idle client losing its server is reported on the pool; the next query fails and says so.
    pool.on('error', () => {});
    try {
      (await pool.connect()).release();
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    const u = new URL(url);
    return new PostgresDatabase(pool, url, `postgres ${u.host}${u.pathname}`);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn({query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[]});
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
