import {checkIdentifier, type Queryable} from './database.js';

/**
 * The tables the outbox needs, in their own schema: the business table
 * (orders) and the outbox. `seq` gives the outbox a total order (created_at can
 * tie), which the relay follows per aggregate. Every statement is idempotent:
 * migrating twice, or from two processes, changes nothing.
 */
export function migrations(schema: string): string[] {
  const s = checkIdentifier(schema, 'schema');
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.orders (
       id text PRIMARY KEY,
       customer text NOT NULL,
       amount numeric(12, 2) NOT NULL,
       status text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE IF NOT EXISTS ${s}.outbox (
       id uuid PRIMARY KEY,
       seq bigint GENERATED ALWAYS AS IDENTITY,
       aggregate_type text NOT NULL,
       aggregate_id text NOT NULL,
       event_type text NOT NULL,
       payload jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
       published_at timestamptz
     )`,
    // The relay's poll: unpublished rows in order, and the head of each aggregate.
    `CREATE INDEX IF NOT EXISTS outbox_pending ON ${s}.outbox (seq) WHERE published_at IS NULL`,
    `CREATE INDEX IF NOT EXISTS outbox_aggregate_pending ON ${s}.outbox (aggregate_id, seq) WHERE published_at IS NULL`,
  ];
}

export async function migrate(db: Queryable, schema: string): Promise<void> {
  for (const sql of migrations(schema)) {
    try {
      await db.query(sql);
    } catch (error) {
      // Two processes creating the same schema at once: the loser's CREATE … IF NOT EXISTS can still hit the unique index.
      if ((error as {code?: string}).code !== '23505') throw error;
    }
  }
}
