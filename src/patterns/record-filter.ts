import type {EventStream} from '../core/event-stream.js';
import {DONE, type RecordOutcome} from '../kafka/record-consumer.js';
import type {ConsumedRecord} from '../kafka/records.js';
import {recordRef} from './dead-letter/dead-letter-handler.js';
import type {PatternEvent} from './events.js';

/**
 * Which records a participant is for, when its topics carry other work too
 * (a scenario's run among other runs on shared topics). Optional in every
 * pattern: without one, every record is the participant's.
 */
export interface RecordFilter {
  accepts(record: ConsumedRecord): boolean;
  /** Why the others are skipped, as the `skipped` event says it (e.g. "not this run's"). */
  reason: string;
}

type Handle = (record: ConsumedRecord) => Promise<RecordOutcome>;

/**
 * Wraps a consumer's handler so a record the filter refuses is done at once:
 * its offset is committed past, it is never handled, retried, held or
 * dead-lettered, and a `skipped` event says so. The check comes first, before
 * decoding, so a refused record cannot fail in any way.
 */
export function skipRefused(filter: RecordFilter | undefined, ctx: {group: string; events: EventStream<PatternEvent>}, handle: Handle): Handle {
  if (!filter) return handle;
  return async (record) => {
    if (filter.accepts(record)) return handle(record);
    ctx.events.emit({type: 'skipped', at: Date.now(), group: ctx.group, record: recordRef(record), reason: filter.reason});
    return DONE;
  };
}
