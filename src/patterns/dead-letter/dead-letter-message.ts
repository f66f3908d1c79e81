import type {OutgoingMessage} from '../../kafka/publisher.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import type {FailureReason} from '../events.js';
import {copyHeaders, DltHeader, header, int32, int64, KpatHeader} from '../headers.js';

const STACK_LIMIT = 4000;

export interface FailureContext {
  group: string;
  error: unknown;
  /** Handler attempts made so far (across retry rungs). */
  attempts: number;
  now: number;
}

/**
 * The failure headers Spring's DeadLetterPublishingRecoverer writes: where the
 * record came from (kept from the first hop when it already travelled through
 * retry topics) and what went wrong (always the latest failure).
 */
export function failureHeaders(record: ConsumedRecord, ctx: FailureContext): Record<string, Buffer | string> {
  const error = ctx.error instanceof Error ? ctx.error : new Error(String(ctx.error));
  const firstHop = header(record, DltHeader.originalTopic) === undefined;
  const origin: Record<string, Buffer | string> = firstHop
    ? {
        [DltHeader.originalTopic]: record.topic,
        [DltHeader.originalPartition]: int32(record.partition),
        [DltHeader.originalOffset]: int64(record.offset),
        [DltHeader.originalTimestamp]: int64(record.timestamp),
        [DltHeader.originalTimestampType]: 'CreateTime',
        [DltHeader.originalConsumerGroup]: ctx.group,
      }
    : {};
  const cause = (error as {cause?: unknown}).cause;
  return {
    ...origin,
    [DltHeader.exceptionFqcn]: error.name,
    ...(cause instanceof Error ? {[DltHeader.exceptionCauseFqcn]: cause.name} : {}),
    [DltHeader.exceptionMessage]: error.message,
    [DltHeader.exceptionStacktrace]: (error.stack ?? `${error.name}: ${error.message}`).slice(0, STACK_LIMIT),
    [KpatHeader.failedAt]: new Date(ctx.now).toISOString(),
    [KpatHeader.attempts]: int32(ctx.attempts),
  };
}

const isFailureHeader = (name: string) =>
  name.startsWith('kafka_dlt-exception') || name === KpatHeader.failedAt || name === KpatHeader.attempts || name === KpatHeader.reason;

/**
 * A record bound for the dead-letter topic: original key, original value bytes
 * untouched, original headers kept, failure headers added. Same partition as
 * the source (the DLT is created with as many), so per-partition order holds there too.
 */
export function deadLetterMessage(record: ConsumedRecord, dltTopic: string, reason: FailureReason, ctx: FailureContext): OutgoingMessage {
  return {
    topic: dltTopic,
    partition: record.partition,
    key: record.key,
    value: record.value,
    headers: {...copyHeaders(record, isFailureHeader), ...failureHeaders(record, ctx), [KpatHeader.reason]: reason},
  };
}
