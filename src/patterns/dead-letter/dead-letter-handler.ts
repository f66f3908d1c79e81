import type {Publisher} from '../../kafka/publisher.js';
import {sleep} from '../../core/sleep.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {DONE, type RecordOutcome} from '../../kafka/record-consumer.js';
import type {EventStream} from '../../core/event-stream.js';
import {errorInfo, type PatternEvent, type RecordRef} from '../events.js';
import {terminalReason} from '../failures.js';
import {headerText} from '../headers.js';
import {decodeRecord, deserializeRecord, failure, OK, type HandlerResult, type RecordHandler} from '../record-handler.js';
import {skipRefused, type RecordFilter} from '../record-filter.js';
import {deadLetterMessage} from './dead-letter-message.js';

export interface DeadLetterOptions<T> extends RecordHandler<T> {
  group: string;
  /** Dead-letter topic for a source topic; default `<topic>.dlt`. */
  dltTopic?: (sourceTopic: string) => string;
  /** In-place retries before dead-lettering a retryable failure (they hold the partition). Default: none. */
  blockingRetries?: {attempts: number; backoffMs: number};
  publisher: Publisher;
  events: EventStream<PatternEvent>;
  /** Reads the record's id for events (default: header kpat-record-id, else the key). */
  recordId?: (record: ConsumedRecord) => string | null;
  /** Only records it accepts are handled; the others are skipped (committed past, never dead-lettered). Default: all. */
  filter?: RecordFilter;
}

export const defaultDltTopic = (topic: string) => `${topic}.dlt`;

// Keys are UTF-8 text; toString() without an encoding argument takes Node's fast path (per record).
export function recordRef(record: ConsumedRecord): RecordRef {
  return {topic: record.topic, partition: record.partition, offset: record.offset, key: record.key?.toString() ?? null};
}

/** `keyText` saves decoding the key again where the caller has it already. */
export function defaultRecordId(record: ConsumedRecord, keyText: string | null = record.key?.toString() ?? null): string | null {
  return headerText(record, 'kpat-record-id') ?? keyText;
}

/**
 * Wraps a handler so no record can block its partition: a record that cannot
 * be decoded or validated, or fails in a way retrying will not fix, or keeps
 * failing after the allowed in-place retries, is published to the dead-letter
 * topic (acks=all) — and only then is its offset allowed to be committed.
 */
export function deadLetterHandler<T>(opts: DeadLetterOptions<T>): (record: ConsumedRecord) => Promise<RecordOutcome> {
  const dltFor = opts.dltTopic ?? defaultDltTopic;
  const maxAttempts = 1 + (opts.blockingRetries?.attempts ?? 0);
  const serde = opts.serde;
  const idOf = (record: ConsumedRecord, ref: RecordRef) => (opts.recordId ? opts.recordId(record) : defaultRecordId(record, ref.key));
  return skipRefused(opts.filter, opts, async (record) => {
    const ref = recordRef(record);
    for (let attempt = 1; ; attempt++) {
      // runHandler, inlined: an async layer less for every record.
      let result: HandlerResult = OK;
      try {
        // The JSON path stays synchronous: an await less per record.
        await opts.handle(serde ? await deserializeRecord(serde, opts.schema, record) : decodeRecord(opts, record), record, attempt);
      } catch (error) {
        result = failure(opts, error);
      }
      const at = Date.now();
      if (result.ok) {
        opts.events.emit({type: 'handled', at, group: opts.group, record: ref, recordId: idOf(record, ref), attempt});
        return DONE;
      }
      opts.events.emit({type: 'attempt-failed', at, group: opts.group, record: ref, attempt, retryable: result.retryable, error: errorInfo(result.error)});
      if (result.retryable && attempt < maxAttempts) {
        await sleep(opts.blockingRetries?.backoffMs ?? 0);
        continue;
      }
      const reason = result.retryable ? 'retries-exhausted' : terminalReason(result.error);
      const dltTopic = dltFor(record.topic);
      await opts.publisher.sendOne(deadLetterMessage(record, dltTopic, reason, {group: opts.group, error: result.error, attempts: attempt, now: at}));
      opts.events.emit({type: 'dead-lettered', at: Date.now(), group: opts.group, record: ref, dltTopic, reason, attempts: attempt, error: errorInfo(result.error)});
      return DONE;
    }
  });
}
