import pg from 'pg';
import {LogicalReplicationService, PgoutputPlugin, type Pgoutput} from 'pg-logical-replication';
import type {Connection} from '../../kafka/connection.js';
import {Publisher, type OutgoingMessage} from '../../kafka/publisher.js';
import type {EventStream} from '../../core/event-stream.js';
import {OperationError} from '../../core/errors.js';
import {sleep} from '../../core/sleep.js';
import {changeEvent, changeKey, lsnToNumber, type ChangeOp, type Row} from './change-event.js';
import {checkIdentifier} from './database.js';
import type {RelayEvent, RelayFaults} from './events.js';

export interface CapturedTable {
  schema: string;
  table: string;
}

export interface LogicalRelayOptions {
  /** The PostgreSQL server (wal_level=logical), postgres://… */
  url: string;
  tables: CapturedTable[];
  /** The replication slot: where the server keeps the changes this relay has not acknowledged yet. */
  slot: string;
  publication: string;
  conn: Connection;
  /** Where a table's change events go; default kpat.SCHEMA.TABLE (Debezium's PREFIX.SCHEMA.TABLE). */
  topicOf?: (t: CapturedTable) => string;
  name: string;
  events?: EventStream<RelayEvent>;
  faults?: RelayFaults;
  retryBackoffMs?: number;
}

interface Pending {
  xid: number;
  messages: OutgoingMessage[];
  eventIds: string[];
}

const defaultTopic = (t: CapturedTable) => `kpat.${t.schema}.${t.table}`;

/**
 * Change data capture through logical replication: the server streams every
 * committed change of the captured tables (pgoutput, through a publication
 * and a slot); the relay publishes each transaction's changes as Debezium
 * change events (key = primary key) with an idempotent producer, and
 * acknowledges the transaction's LSN only once the broker acknowledged them.
 * A crash before the acknowledgement streams the transaction again from the
 * slot: published twice, never lost. Nothing is written to the database.
 */
export class LogicalRelay {
  private service: LogicalReplicationService | null = null;
  private publisher: Publisher | null = null;
  private pending: Pending | null = null;
  private batches = 0;
  /** Each (re)start's handlers ignore what an earlier stream still delivers. */
  private generation = 0;
  private stopped = false;
  private restarting: Promise<void> | null = null;
  private lastAcked = '0/0';
  private database = '';
  published = 0;

  constructor(private readonly opts: LogicalRelayOptions) {
    for (const t of opts.tables) {
      checkIdentifier(t.schema, 'schema');
      checkIdentifier(t.table, 'table');
    }
    checkIdentifier(opts.slot, 'replication slot');
    checkIdentifier(opts.publication, 'publication');
  }

  /**
   * The publication and the slot, created when missing. The slot keeps every
   * change from its creation on until acknowledged, whether the relay runs or
   * not — create it before the writes it must see.
   */
  static async prepare(opts: Pick<LogicalRelayOptions, 'url' | 'tables' | 'slot' | 'publication'>): Promise<void> {
    const client = new pg.Client({connectionString: opts.url});
    await client.connect();
    try {
      const [{wal_level: level}] = (await client.query<{wal_level: string}>('SHOW wal_level')).rows as [{wal_level: string}];
      if (level !== 'logical') throw new OperationError(`PostgreSQL runs with wal_level=${level}: change data capture needs wal_level=logical — start it with \`-c wal_level=logical\` (the docker-compose postgres service does)`);
      const tables = opts.tables.map((t) => `${t.schema}.${t.table}`).join(', ');
      const pub = await client.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [opts.publication]);
      if (pub.rowCount === 0) await client.query(`CREATE PUBLICATION ${opts.publication} FOR TABLE ${tables}`).catch(ignoreDuplicate);
      const slot = await client.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [opts.slot]);
      if (slot.rowCount === 0) await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [opts.slot]).catch(ignoreDuplicate);
    } finally {
      await client.end();
    }
  }

  /** Drops the slot (the server stops keeping changes for it) and the publication. */
  static async drop(opts: Pick<LogicalRelayOptions, 'url' | 'slot' | 'publication'>): Promise<void> {
    const client = new pg.Client({connectionString: opts.url});
    await client.connect();
    try {
      await client.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active', [opts.slot]);
      await client.query(`DROP PUBLICATION IF EXISTS ${opts.publication}`);
    } finally {
      await client.end();
    }
  }

  async start(): Promise<void> {
    this.database = decodeURIComponent(new URL(this.opts.url).pathname.slice(1));
    await LogicalRelay.prepare(this.opts);
    const failure = await this.subscribe();
    if (failure) {
      await this.stop();
      throw new OperationError(`cannot stream changes from slot ${this.opts.slot}: ${failure.message}`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.restarting;
    await this.service?.destroy();
    this.service = null;
    await this.publisher?.close();
    this.publisher = null;
  }

  /** Starts a stream; the error when it could not. */
  private async subscribe(): Promise<Error | null> {
    const generation = ++this.generation;
    this.pending = null;
    // A new service each time: it asks the server to start at the slot's acknowledged position, not where the last stream was.
    const service = new LogicalReplicationService({connectionString: this.opts.url}, {acknowledge: {auto: false, timeoutSeconds: 0}, flowControl: {enabled: true}});
    this.service = service;
    service.on('data', (lsn: string, m: Pgoutput.Message) => (generation === this.generation ? this.onMessage(lsn, m) : undefined));
    service.on('heartbeat', (_lsn: string, _ts: number, shouldRespond: boolean) => {
      if (shouldRespond && generation === this.generation) void service.acknowledge(this.lastAcked);
    });
    service.on('error', (error: Error) => {
      if (generation === this.generation && this.service === service && !this.stopped) this.restart(`replication stream failed: ${error.message}`, 0);
    });
    // Its failures are the 'error' events above.
    service.subscribe(new PgoutputPlugin({protoVersion: 1, publicationNames: [this.opts.publication]}), this.opts.slot).catch(() => {});
    return new Promise<Error | null>((resolve) => {
      service.once('start', () => resolve(null));
      service.once('error', (error: Error) => resolve(error));
    });
  }

  private async onMessage(lsn: string, m: Pgoutput.Message): Promise<void> {
    switch (m.tag) {
      case 'begin':
        this.pending = {xid: m.xid, messages: [], eventIds: []};
        return;
      case 'insert':
        return this.add('c', m.relation, lsn, null, m.new);
      case 'update':
        return this.add('u', m.relation, lsn, m.old ?? null, m.new);
      case 'delete':
        return this.add('d', m.relation, lsn, m.old ?? m.key, null);
      case 'commit':
        return this.onCommit(m.commitEndLsn ?? lsn);
      default:
        return;
    }
  }

  private add(op: ChangeOp, relation: Pgoutput.MessageRelation, lsn: string, before: Row | null, after: Row | null): void {
    if (!this.pending) return;
    const table = {schema: relation.schema, table: relation.name};
    const value = changeEvent(op, {before, after}, {name: 'kpat-logical', ts_ms: Date.now(), db: this.database, ...table, txId: this.pending.xid, lsn: lsnToNumber(lsn)});
    const keyRow = after ?? before;
    this.pending.messages.push({topic: (this.opts.topicOf ?? defaultTopic)(table), key: changeKey(keyRow, relation.keyColumns), value: JSON.stringify(value)});
    const id = keyRow?.id;
    if (typeof id === 'string') this.pending.eventIds.push(id);
  }

  private async onCommit(commitEnd: string): Promise<void> {
    const txn = this.pending;
    this.pending = null;
    if (!txn || txn.messages.length === 0) {
      await this.acknowledge(commitEnd);
      return;
    }
    try {
      this.publisher ??= await Publisher.connect(this.opts.conn, `cdc-${this.opts.name}`, {idempotent: true, client: {fast: true}});
      await this.publisher.send(txn.messages);
    } catch (error) {
      this.emit({type: 'relay-publish-failed', at: Date.now(), relay: this.opts.name, events: txn.messages.length, error: (error as Error).message});
      this.restart(null, this.opts.retryBackoffMs ?? 500);
      return;
    }
    if (this.opts.faults?.crashAfterPublish?.(++this.batches, this.opts.name)) {
      this.emit({type: 'relay-crashed', at: Date.now(), relay: this.opts.name, events: txn.messages.length});
      this.restart(null, 0);
      return;
    }
    await this.acknowledge(commitEnd);
    this.published += txn.messages.length;
    this.emit({type: 'relay-published', at: Date.now(), relay: this.opts.name, events: txn.messages.length, eventIds: txn.eventIds, oldestCreatedAt: null});
  }

  private async acknowledge(lsn: string): Promise<void> {
    this.lastAcked = lsn;
    await this.service?.acknowledge(lsn);
  }

  /** Drops the stream (and the producer, as a crash would) and resubscribes: the slot streams again everything not acknowledged. */
  private restart(why: string | null, delayMs: number): void {
    if (this.stopped || this.restarting) return;
    this.generation++;
    if (why) this.emit({type: 'relay-publish-failed', at: Date.now(), relay: this.opts.name, events: 0, error: why});
    const old = this.service;
    this.service = null;
    this.restarting = (async () => {
      await old?.destroy().catch(() => {});
      await this.publisher?.close();
      this.publisher = null;
      await sleep(delayMs);
      // Until the server streams again (it may be restarting too).
      while (!this.stopped) {
        const failure = await this.subscribe();
        if (!failure) break;
        await this.service?.destroy().catch(() => {});
        await sleep(this.opts.retryBackoffMs ?? 500);
      }
      if (!this.stopped) this.emit({type: 'relay-restarted', at: Date.now(), relay: this.opts.name});
    })().finally(() => (this.restarting = null));
  }

  private emit(e: RelayEvent): void {
    this.opts.events?.emit(e);
  }
}

function ignoreDuplicate(error: {code?: string}): void {
  // Another relay created it meanwhile.
  if (error.code !== '42710' && error.code !== '23505') throw error;
}
