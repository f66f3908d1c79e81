import type {Connection} from '../../kafka/connection.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {EnvelopeSchema, type Envelope, type SagaEventType, type SagaTopics} from '../../patterns/saga/envelope.js';
import {readRun} from '../run-log.js';

/** A run's saga events read back from the topics, each event once (duplicates counted, not repeated). */
export interface SagaLog {
  events: Envelope[];
  byOrder: Map<string, Envelope[]>;
  /** Records beyond the first copy of each event (deliberate duplicates, or re-sends after a crash). */
  duplicates: number;
  /** Records that are not valid saga envelopes. */
  invalid: number;
}

export async function readSagaLog(conn: Connection, topics: SagaTopics, runId: string): Promise<SagaLog> {
  const records: ConsumedRecord[] = (await Promise.all([topics.orders, topics.payments, topics.inventory, topics.outcomes].map((t) => readRun(conn, t, runId)))).flat();
  const seen = new Map<string, Envelope>();
  let duplicates = 0;
  let invalid = 0;
  for (const r of records) {
    let parsed: ReturnType<typeof EnvelopeSchema.safeParse>;
    try {
      parsed = EnvelopeSchema.safeParse(JSON.parse(r.value?.toString('utf8') ?? ''));
    } catch {
      invalid++;
      continue;
    }
    if (!parsed.success) {
      invalid++;
      continue;
    }
    if (seen.has(parsed.data.eventId)) duplicates++;
    else seen.set(parsed.data.eventId, parsed.data);
  }
  const events = [...seen.values()];
  const byOrder = new Map<string, Envelope[]>();
  for (const e of events) byOrder.set(e.orderId, [...(byOrder.get(e.orderId) ?? []), e]);
  return {events, byOrder, duplicates, invalid};
}

export function ofType<T extends SagaEventType>(events: Envelope[], type: T): Array<Envelope<T>> {
  return events.filter((e): e is Envelope<T> => e.type === type);
}
