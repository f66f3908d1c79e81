import type {ConsumedRecord} from '../../kafka/records.js';
import {headerText} from '../headers.js';

/** The headers an outbox event carries, named as Debezium's outbox event router names them. */
export const OutboxHeader = {
  id: 'id',
  eventType: 'eventType',
  aggregateType: 'aggregateType',
} as const;

/**
 * The event id of a record: its `id` header, or for a change event of an
 * outbox table, the outbox row's id (`after.id`). Null when it has neither.
 */
export function eventIdOf(r: Pick<ConsumedRecord, 'headers' | 'value'>): string | null {
  const fromHeader = headerText(r, OutboxHeader.id);
  if (fromHeader) return fromHeader;
  try {
    const v = JSON.parse(r.value?.toString('utf8') ?? 'null') as {after?: {id?: unknown}} | null;
    return typeof v?.after?.id === 'string' ? v.after.id : null;
  } catch {
    return null;
  }
}
