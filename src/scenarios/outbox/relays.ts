import {EventStream} from '../../core/event-stream.js';
import type {Connection} from '../../kafka/connection.js';
import type {OutboxDatabase} from '../../patterns/outbox/database.js';
import type {RelayEvent, RelayFaults} from '../../patterns/outbox/events.js';
import {PollingRelay} from '../../patterns/outbox/polling-relay.js';
import type {OutboxFaultPlan} from './faults.js';
import type {OutboxKindEvent, VariantStats} from './events.js';
import type {OutboxScenario} from './schema.js';

export interface RelayContext {
  s: OutboxScenario;
  runId: string;
  db: OutboxDatabase;
  schema: string;
  conn: Connection;
  plan: OutboxFaultPlan;
  stats: VariantStats;
  /** Outbox events written and when; a published one leaves it. */
  written: Map<string, number>;
  emit(e: OutboxKindEvent): void;
}

/**
 * The outbox variant's relays: several polling relays side by side, or one
 * reading the outbox through logical replication. relay-1 crashes between
 * publish and mark (or acknowledgement) where the fault plan says.
 */
export class RelaySet {
  private constructor(
    private readonly stops: Array<() => Promise<void>>,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async start(ctx: RelayContext): Promise<RelaySet> {
    const {s} = ctx;
    const events = new EventStream<RelayEvent>();
    events.subscribe((e) => onRelayEvent(ctx, e));
    let batches = 0;
    const faults: RelayFaults = {crashAfterPublish: () => ctx.plan.relayCrashAfter.has(++batches)};
    if (s.relay === 'logical') {
      // pg and its replication client load only for this relay.
      const {LogicalRelay} = await import('../../patterns/outbox/logical-relay.js');
      const names = {url: ctx.db.url!, slot: `kpat_outbox_${ctx.runId}`, publication: `kpat_outbox_${ctx.schema}`};
      const relay = new LogicalRelay({...names, tables: [{schema: ctx.schema, table: 'outbox'}], conn: ctx.conn, topicOf: () => s.topics.outbox, name: 'relay-1', events, faults});
      await relay.start();
      // The slot keeps WAL for as long as it exists: it goes with the run.
      return new RelaySet([() => relay.stop()], () => LogicalRelay.drop(names));
    }
    const relays = Array.from({length: s.relays}, (_, k) => new PollingRelay({db: ctx.db, schema: ctx.schema, conn: ctx.conn, topic: s.topics.outbox, name: `relay-${k + 1}`, events, faults, batchSize: 20, retryBackoffMs: 300}));
    try {
      await Promise.all(relays.map((r) => r.start()));
    } catch (error) {
      await Promise.all(relays.map((r) => r.stop()));
      throw error;
    }
    return new RelaySet(
      relays.map((r) => () => r.stop()),
      async () => {},
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.stops.map((stop) => stop()));
    await this.cleanup();
  }
}

function onRelayEvent(ctx: RelayContext, e: RelayEvent): void {
  const st = ctx.stats;
  const fault = (fault: 'relay-crash' | 'publish-failed', detail: string) => ctx.emit({type: 'outbox-fault', at: e.at, variant: 'outbox', fault, detail});
  switch (e.type) {
    case 'relay-published':
      st.published += e.events;
      for (const id of e.eventIds) ctx.written.delete(id);
      break;
    case 'relay-crashed':
      st.relayCrashes++;
      // They reached the broker before the crash: copies the consumer will see.
      st.published += e.events;
      fault('relay-crash', `${e.relay} crashed after publishing ${e.events} events, before marking them: they will be published again`);
      break;
    case 'relay-publish-failed':
      st.sendFailures++;
      fault('publish-failed', `${e.relay} could not publish (${e.error.split(' — ')[0]}): the rows stay in the outbox`);
      break;
    default:
      break;
  }
}

/** What the live view shows of the outbox: rows not yet published, and the age of the oldest. */
export function pendingStats(written: ReadonlyMap<string, number>, now: number): {pending: number; lagMs: number} {
  let oldest = now;
  for (const at of written.values()) oldest = Math.min(oldest, at);
  return {pending: written.size, lagMs: written.size === 0 ? 0 : now - oldest};
}
