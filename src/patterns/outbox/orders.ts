import {randomUUID} from 'node:crypto';
import {checkIdentifier, type OutboxDatabase, type Queryable} from './database.js';

export interface Order {
  id: string;
  customer: string;
  amount: number;
}

/** One outbox row: an event about an aggregate, written in the transaction that changed the aggregate. */
export interface OutboxEntry {
  /** The event id: consumers drop a second delivery of the same id. */
  id: string;
  aggregateType: string;
  aggregateId: string;
  eventType: string;
  payload: unknown;
}

export async function insertOrder(tx: Queryable, schema: string, order: Order): Promise<void> {
  await tx.query(`INSERT INTO ${checkIdentifier(schema, 'schema')}.orders (id, customer, amount, status) VALUES ($1, $2, $3, 'placed')`, [order.id, order.customer, order.amount]);
}

export async function appendToOutbox(tx: Queryable, schema: string, entry: OutboxEntry): Promise<void> {
  await tx.query(`INSERT INTO ${checkIdentifier(schema, 'schema')}.outbox (id, aggregate_type, aggregate_id, event_type, payload) VALUES ($1, $2, $3, $4, $5)`, [
    entry.id,
    entry.aggregateType,
    entry.aggregateId,
    entry.eventType,
    JSON.stringify(entry.payload),
  ]);
}

/** The OrderPlaced event of an order, with a fresh event id. */
export function orderPlaced(order: Order): OutboxEntry {
  return {id: randomUUID(), aggregateType: 'order', aggregateId: order.id, eventType: 'OrderPlaced', payload: {orderId: order.id, customer: order.customer, amount: order.amount}};
}

/**
 * The outbox pattern's write: the order and its OrderPlaced event in one
 * transaction, so there is never one without the other. Publishing is the
 * relay's job. Returns the event.
 */
export async function placeOrder(db: OutboxDatabase, schema: string, order: Order): Promise<OutboxEntry> {
  const event = orderPlaced(order);
  await db.transaction(async (tx) => {
    await insertOrder(tx, schema, order);
    await appendToOutbox(tx, schema, event);
  });
  return event;
}
