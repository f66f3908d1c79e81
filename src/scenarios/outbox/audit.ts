import type {Connection} from '../../kafka/connection.js';
import {readPartitions} from '../../kafka/partition-reader.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import type {OutboxDatabase} from '../../patterns/outbox/database.js';
import {DedupConsumer} from '../../patterns/outbox/dedup-consumer.js';
import {orderIdPrefix} from './apps.js';
import type {VariantAudit} from './events.js';

/** The order an event is about: an event's payload, or a change event's outbox row. */
export function orderIdOf(r: ConsumedRecord): string | null {
  try {
    const v = JSON.parse(r.value?.toString('utf8') ?? 'null') as {orderId?: unknown; after?: {aggregate_id?: unknown}} | null;
    const id = v?.orderId ?? v?.after?.aggregate_id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

export interface AuditInput {
  conn: Connection;
  db: OutboxDatabase;
  schema: string;
  topic: string;
  runId: string;
  /** Where the topic ended before the run: its records start there. */
  from: ReadonlyMap<number, number>;
  /** Whether pending means unmarked rows (polling) rather than rows whose event never arrived (logical replication). */
  marks: boolean;
  hasOutbox: boolean;
}

/**
 * One variant, read back: its orders from the database; its events from the
 * topic, through a consumer that drops copies by event id; which orders have
 * no event and which events no order; what the outbox still holds.
 */
export async function auditVariant(a: AuditInput): Promise<VariantAudit & {lost: string[]}> {
  const prefix = orderIdPrefix(a.runId);
  const orders = new Set((await a.db.query<{id: string}>(`SELECT id FROM ${a.schema}.orders WHERE starts_with(id, $1)`, [prefix])).map((r) => r.id));
  const consumer = new DedupConsumer();
  const withEvent = new Set<string>();
  const appliedIds = new Set<string>();
  let delivered = 0;
  for await (const r of readPartitions(a.conn, {topic: a.topic, start: {kind: 'positions', positions: a.from, otherwise: {kind: 'earliest'}}, stopAtEnd: true})) {
    const orderId = orderIdOf(r);
    if (!orderId?.startsWith(prefix)) continue;
    delivered++;
    consumer.offer(r, (eventId) => {
      appliedIds.add(eventId);
      withEvent.add(orderId);
    });
  }
  const lost = [...orders].filter((id) => !withEvent.has(id));
  let pending = 0;
  if (a.hasOutbox) {
    const rows = await a.db.query<{id: string; published_at: unknown}>(`SELECT id, published_at FROM ${a.schema}.outbox WHERE starts_with(aggregate_id, $1)`, [prefix]);
    pending = a.marks ? rows.filter((r) => r.published_at === null).length : rows.filter((r) => !appliedIds.has(r.id)).length;
  }
  return {
    orders: orders.size,
    delivered,
    applied: consumer.applied,
    duplicatesDropped: consumer.duplicates,
    ordersWithoutEvent: lost.length,
    eventsWithoutOrder: [...withEvent].filter((id) => !orders.has(id)).length,
    pending,
    lost,
  };
}
