import type {OutboxVariant} from './schema.js';

/** One variant's running totals, as the live view shows them. */
export interface VariantStats {
  /** Orders committed to the database. */
  placed: number;
  /** Events the broker acknowledged (copies included). */
  published: number;
  /** Outbox rows not yet published; null for the dual write (it has no outbox). */
  pending: number | null;
  /** Age of the oldest pending row, ms: how far the relays are behind. */
  lagMs: number;
  appCrashes: number;
  /** Produce (dual write) or publish (relay) attempts that failed. */
  sendFailures: number;
  relayCrashes: number;
  brokerDown: boolean;
}

/** What reading back the database and the topic found, at the end. */
export interface VariantAudit {
  orders: number;
  /** Records of this run on the topic, copies included. */
  delivered: number;
  /** Events the consumer applied (one per event id). */
  applied: number;
  /** Copies the consumer dropped by event id. */
  duplicatesDropped: number;
  ordersWithoutEvent: number;
  eventsWithoutOrder: number;
  /** Outbox rows still pending at the end (0 for the dual write). */
  pending: number;
}

export type OutboxFault = 'app-crash' | 'produce-failed' | 'broker-down' | 'broker-back' | 'relay-crash' | 'publish-failed';

/** What the outbox scenario tells its views besides the common scenario events. */
export type OutboxKindEvent =
  | {type: 'outbox-variants'; at: number; variants: Record<OutboxVariant, VariantStats>}
  | {type: 'outbox-fault'; at: number; variant: OutboxVariant; fault: OutboxFault; detail: string}
  | {type: 'outbox-audit'; at: number; variant: OutboxVariant; audit: VariantAudit; lostSample: string[]};

export const emptyStats = (hasOutbox: boolean): VariantStats => ({placed: 0, published: 0, pending: hasOutbox ? 0 : null, lagMs: 0, appCrashes: 0, sendFailures: 0, relayCrashes: 0, brokerDown: false});
