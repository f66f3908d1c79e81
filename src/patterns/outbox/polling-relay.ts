import type {Connection} from '../../kafka/connection.js';
import {Publisher, type OutgoingMessage} from '../../kafka/publisher.js';
import type {EventStream} from '../../core/event-stream.js';
import {sleep} from '../../core/sleep.js';
import {changeEvent} from './change-event.js';
import {checkIdentifier, type OutboxDatabase} from './database.js';
import {RelayCrash, type RelayEvent, type RelayFaults, type RelayFormat} from './events.js';
import {eventMessage} from './messages.js';

export interface PollingRelayOptions {
  db: OutboxDatabase;
  schema: string;
  conn: Connection;
  topic: string;
  /** This relay's name in events ("relay-1"). */
  name: string;
  /**
   * event: the payload as value, key = aggregate id, the event id and type in
   * headers (Debezium's outbox event router). change: a Debezium change event
   * of the outbox row (op c), same key and headers.
   */
  format?: RelayFormat;
  batchSize?: number;
  pollIntervalMs?: number;
  /** Wait after a failed publish before trying again. */
  retryBackoffMs?: number;
  events?: EventStream<RelayEvent>;
  faults?: RelayFaults;
}

export interface OutboxRow {
  id: string;
  seq: number;
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
  payload: unknown;
  created_at: Date | string;
  published_at: Date | string | null;
  tx_id: string;
}

/**
 * The rows to publish now, locked: each pending aggregate's oldest row (the
 * head), skipping heads another relay holds — then the aggregate's later rows
 * behind it, which no other relay can take while the head is pending. So
 * every aggregate is published in order, by one relay at a time, and two
 * relays never hold the same row.
 */
function claimSql(s: string): {heads: string; rest: string} {
  const columns = 'o.id, o.seq, o.aggregate_type, o.aggregate_id, o.event_type, o.payload, o.created_at, o.published_at, o.xmin::text AS tx_id';
  return {
    heads: `SELECT ${columns} FROM ${s}.outbox o
            WHERE o.published_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM ${s}.outbox e WHERE e.aggregate_id = o.aggregate_id AND e.published_at IS NULL AND e.seq < o.seq)
            ORDER BY o.seq LIMIT $1
            FOR UPDATE SKIP LOCKED`,
    rest: `SELECT ${columns} FROM ${s}.outbox o
           WHERE o.published_at IS NULL AND o.aggregate_id = ANY($1::text[]) AND NOT (o.id = ANY($2::uuid[]))
           ORDER BY o.seq LIMIT $3
           FOR UPDATE`,
  };
}

/**
 * The outbox relay: polls the outbox for pending rows, publishes them with an
 * idempotent producer (acks=all, checked) and marks them published — select,
 * publish and mark in one database transaction, so the row locks hold until
 * the mark. A crash between publish and mark leaves the rows pending: they
 * are published again (a duplicate the consumer drops by event id), never lost.
 */
export class PollingRelay {
  private publisher: Publisher | null = null;
  private readonly stopper = new AbortController();
  private loop: Promise<void> | null = null;
  private batches = 0;
  private database = '';
  published = 0;

  constructor(private readonly opts: PollingRelayOptions) {
    checkIdentifier(opts.schema, 'schema');
  }

  /** Connects its producer (so a broker that is not there fails here, saying so), then relays until stopped. */
  async start(): Promise<void> {
    await this.connected();
    this.loop ??= this.run();
  }

  /** Publishes and marks one batch; the number of rows it published. Throws what publishing threw. */
  async relayOnce(): Promise<number> {
    const {db, schema, batchSize = 200} = this.opts;
    const sql = claimSql(schema);
    const publisher = await this.connected();
    if (this.opts.format === 'change' && !this.database) this.database = (await db.query<{db: string}>('SELECT current_database() AS db'))[0]!.db;
    return db.transaction(async (tx) => {
      const heads = await tx.query<OutboxRow>(sql.heads, [batchSize]);
      if (heads.length === 0) return 0;
      const more = heads.length < batchSize ? await tx.query<OutboxRow>(sql.rest, [[...new Set(heads.map((r) => r.aggregate_id))], heads.map((r) => r.id), batchSize - heads.length]) : [];
      const rows = [...heads, ...more].sort((a, b) => Number(a.seq) - Number(b.seq));
      await publisher.send(rows.map((r) => this.messageOf(r)));
      const batch = ++this.batches;
      if (this.opts.faults?.crashAfterPublish?.(batch, this.opts.name)) throw new RelayCrash(rows.length);
      await tx.query(`UPDATE ${schema}.outbox SET published_at = clock_timestamp() WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
      this.published += rows.length;
      const oldest = Math.min(...rows.map((r) => new Date(r.created_at).getTime()));
      this.emit({type: 'relay-published', at: Date.now(), relay: this.opts.name, events: rows.length, eventIds: rows.map((r) => r.id), oldestCreatedAt: oldest});
      return rows.length;
    });
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.loop;
    await this.publisher?.close();
    this.publisher = null;
  }

  private async run(): Promise<void> {
    const {pollIntervalMs = 50, retryBackoffMs = 500} = this.opts;
    const signal = this.stopper.signal;
    while (!signal.aborted) {
      let published = 0;
      try {
        published = await this.relayOnce();
      } catch (error) {
        if (error instanceof RelayCrash) {
          // A crashed relay's producer dies with it: the one that replaces it has a new producer id, so the broker cannot drop the copies.
          this.emit({type: 'relay-crashed', at: Date.now(), relay: this.opts.name, events: error.events});
          await this.publisher?.close();
          this.publisher = null;
          this.emit({type: 'relay-restarted', at: Date.now(), relay: this.opts.name});
          continue;
        }
        this.emit({type: 'relay-publish-failed', at: Date.now(), relay: this.opts.name, events: 0, error: (error as Error).message});
        await this.publisher?.close();
        this.publisher = null;
        await sleep(retryBackoffMs, signal);
        continue;
      }
      if (published === 0) await sleep(pollIntervalMs, signal);
    }
  }

  private async connected(): Promise<Publisher> {
    // Few quick retries: while the broker is away the transaction (and its row locks) should not wait for long.
    this.publisher ??= await Publisher.connect(this.opts.conn, `outbox-${this.opts.name}`, {idempotent: true, client: {fast: true}});
    return this.publisher;
  }

  private messageOf(r: OutboxRow): OutgoingMessage {
    const {tx_id: txId, ...row} = r;
    const message = eventMessage(this.opts.topic, {id: r.id, aggregateType: r.aggregate_type, aggregateId: r.aggregate_id, eventType: r.event_type, payload: r.payload});
    if (this.opts.format !== 'change') return message;
    // The same event as a change event of its outbox row: what logical replication gives on a server, by polling.
    const source = {name: 'kpat-poll', ts_ms: new Date(r.created_at).getTime(), db: this.database, schema: this.opts.schema, table: 'outbox', txId: Number(txId), lsn: null};
    return {...message, value: JSON.stringify(changeEvent('c', {after: row}, source))};
  }

  private emit(e: RelayEvent): void {
    this.opts.events?.emit(e);
  }
}
