import type {Connection} from '../../kafka/connection.js';
import type {OutgoingMessage, Publisher} from '../../kafka/publisher.js';
import {DONE, RecordConsumer, type RecordOutcome} from '../../kafka/record-consumer.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {deadLetterMessage, failureHeaders} from '../dead-letter/dead-letter-message.js';
import {defaultDltTopic, defaultRecordId, recordRef} from '../dead-letter/dead-letter-handler.js';
import type {EventStream} from '../../core/event-stream.js';
import {errorInfo, type PatternEvent} from '../events.js';
import {terminalReason} from '../failures.js';
import {copyHeaders, headerNumber, int32, int64, RetryHeader} from '../headers.js';
import {runHandler, type RecordHandler} from '../record-handler.js';
import {skipRefused, type RecordFilter} from '../record-filter.js';
import type {Rung} from './rungs.js';

export interface RetryLadderOptions<T> extends RecordHandler<T> {
  conn: Connection;
  topic: string;
  group: string;
  rungs: Rung[];
  dltTopic?: string;
  publisher: Publisher;
  events: EventStream<PatternEvent>;
  /** Consumers per stage (main topic and each rung), all in that stage's group. */
  instances?: number;
  recordId?: (record: ConsumedRecord) => string | null;
  sessionTimeoutMs?: number;
  /** Only records it accepts are handled, on the source and on every rung; the others are skipped (committed past, never held, retried or dead-lettered). Default: all. */
  filter?: RecordFilter;
}

/** The consumer group of a rung: the ladder's group plus the rung's topic suffix. */
export function rungGroup(group: string, sourceTopic: string, rung: Rung): string {
  return `${group}${rung.topic.slice(sourceTopic.length)}`;
}

/**
 * Non-blocking retries. A record whose handler fails in a retryable way is
 * re-published to the next rung's topic with the time it is due; the source
 * offset is committed once that copy is durable, so the source partition keeps
 * moving. A rung's consumer holds a record until it is due by pausing only that
 * partition (woken by a timer, no polling), then runs the handler again. After
 * the last rung — or on a failure retrying cannot fix — the record goes to the DLT.
 *
 * Ordering trade-off: a record that is retried is handled after records that
 * came behind it on its source partition, so per-key order is not kept for
 * failed records. Use it where handlers are idempotent and order-insensitive
 * per key, or keep retries blocking where order matters.
 */
export class RetryLadder<T> {
  private readonly consumers: RecordConsumer[] = [];
  private readonly dltTopic: string;
  private readonly recordId: (record: ConsumedRecord) => string | null;

  constructor(private readonly opts: RetryLadderOptions<T>) {
    this.dltTopic = opts.dltTopic ?? defaultDltTopic(opts.topic);
    this.recordId = opts.recordId ?? defaultRecordId;
  }

  /** Every topic the ladder reads or writes, in order: source, rungs, DLT. */
  get topics(): string[] {
    return [this.opts.topic, ...this.opts.rungs.map((r) => r.topic), this.dltTopic];
  }

  async start(): Promise<void> {
    const stages: Array<{topic: string; group: string; handle: (r: ConsumedRecord) => Promise<RecordOutcome>}> = [
      {topic: this.opts.topic, group: this.opts.group, handle: (r) => this.attempt(r, -1)},
      ...this.opts.rungs.map((rung) => ({topic: rung.topic, group: rungGroup(this.opts.group, this.opts.topic, rung), handle: (r: ConsumedRecord) => this.onRung(r, rung)})),
    ];
    for (const stage of stages) {
      for (let i = 0; i < (this.opts.instances ?? 1); i++) {
        const consumer = new RecordConsumer({
          conn: this.opts.conn,
          groupId: stage.group,
          topics: [stage.topic],
          clientId: `${stage.group}-${i}`,
          sessionTimeoutMs: this.opts.sessionTimeoutMs,
          // Checked before a rung's hold: another run's retry copy is not waited for.
          handle: skipRefused(this.opts.filter, {group: stage.group, events: this.opts.events}, stage.handle),
        });
        this.consumers.push(consumer);
        await consumer.start();
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }

  private async onRung(record: ConsumedRecord, rung: Rung): Promise<RecordOutcome> {
    const dueAt = headerNumber(record, RetryHeader.backoffTimestamp) ?? record.timestamp + rung.delayMs;
    if (Date.now() < dueAt) {
      this.opts.events.emit({type: 'retry-held', at: Date.now(), group: rungGroup(this.opts.group, this.opts.topic, rung), record: recordRef(record), dueAt});
      return {kind: 'hold', until: dueAt};
    }
    return this.attempt(record, rung.index);
  }

  /** One handler attempt for a record read from the source (rungIndex −1) or a rung. */
  private async attempt(record: ConsumedRecord, rungIndex: number): Promise<RecordOutcome> {
    const group = rungIndex < 0 ? this.opts.group : rungGroup(this.opts.group, this.opts.topic, this.opts.rungs[rungIndex]!);
    const attempt = (headerNumber(record, RetryHeader.attempts) ?? 0) + 1;
    const ref = recordRef(record);
    const result = await runHandler(this.opts, record, attempt);
    const now = Date.now();
    if (result.ok) {
      this.opts.events.emit({type: 'handled', at: now, group, record: ref, recordId: this.recordId(record), attempt});
      return DONE;
    }
    const error = errorInfo(result.error);
    this.opts.events.emit({type: 'attempt-failed', at: now, group, record: ref, attempt, retryable: result.retryable, error});
    const next = this.opts.rungs[rungIndex + 1];
    if (result.retryable && next) {
      const dueAt = now + next.delayMs;
      await this.opts.publisher.sendOne(this.retryMessage(record, next, attempt, now, result.error, group));
      this.opts.events.emit({type: 'retry-scheduled', at: Date.now(), group, record: ref, retryTopic: next.topic, attempt, dueAt, error});
      return DONE;
    }
    const reason = result.retryable ? 'retries-exhausted' : terminalReason(result.error);
    await this.opts.publisher.sendOne(deadLetterMessage(record, this.dltTopic, reason, {group, error: result.error, attempts: attempt, now}));
    this.opts.events.emit({type: 'dead-lettered', at: Date.now(), group, record: ref, dltTopic: this.dltTopic, reason, attempts: attempt, error});
    return DONE;
  }

  /**
   * The copy on the next rung: same key, value and partition, plus due time, attempt count and origin.
   * Stamped with the time the attempt failed, so its timestamp, failed-at header and due time agree
   * (due = failed + the rung's delay) however long the send then takes.
   */
  private retryMessage(record: ConsumedRecord, rung: Rung, attempts: number, failedAt: number, error: unknown, group: string): OutgoingMessage {
    const originalTimestamp = headerNumber(record, RetryHeader.originalTimestamp) ?? record.timestamp;
    return {
      topic: rung.topic,
      partition: record.partition,
      key: record.key,
      value: record.value,
      timestamp: failedAt,
      headers: {
        ...copyHeaders(record),
        ...failureHeaders(record, {group, error, attempts, now: failedAt}),
        [RetryHeader.attempts]: int32(attempts),
        [RetryHeader.backoffTimestamp]: int64(failedAt + rung.delayMs),
        [RetryHeader.originalTimestamp]: int64(originalTimestamp),
      },
    };
  }
}
