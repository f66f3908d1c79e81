import type {ConsumedRecord} from '../kafka/records.js';
import type {HeaderValue} from '../kafka/publisher.js';

/**
 * Header names and binary encodings shared with Spring Kafka, so dead letters
 * and retry records interoperate with Spring services: numbers are big-endian
 * (partition int32, offset and timestamps int64), texts UTF-8.
 */
export const DltHeader = {
  originalTopic: 'kafka_dlt-original-topic',
  originalPartition: 'kafka_dlt-original-partition',
  originalOffset: 'kafka_dlt-original-offset',
  originalTimestamp: 'kafka_dlt-original-timestamp',
  originalTimestampType: 'kafka_dlt-original-timestamp-type',
  originalConsumerGroup: 'kafka_dlt-original-consumer-group',
  exceptionFqcn: 'kafka_dlt-exception-fqcn',
  exceptionCauseFqcn: 'kafka_dlt-exception-cause-fqcn',
  exceptionMessage: 'kafka_dlt-exception-message',
  exceptionStacktrace: 'kafka_dlt-exception-stacktrace',
} as const;

export const RetryHeader = {
  /** Attempts made so far (int32), as Spring's retry topics count them. */
  attempts: 'retry_topic-attempts',
  /** When the record is due on its retry rung (int64 epoch ms). */
  backoffTimestamp: 'retry_topic-backoff-timestamp',
  originalTimestamp: 'retry_topic-original-timestamp',
} as const;

/** kpat's own additions, prefixed so they never clash. */
export const KpatHeader = {
  reason: 'kpat_dlt-reason',
  failedAt: 'kpat_dlt-failed-at',
  attempts: 'kpat_dlt-attempts',
  redriveCount: 'kpat_dlt-redrive-count',
  /** Identity of a dead letter across redrives: original topic/partition/offset. */
  redrivenFrom: 'kpat_redriven-from',
  /** The run a record belongs to: a scenario's records and everything its participants write for them carry it. */
  runId: 'kpat-run-id',
} as const;

export function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

export function int64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

/** The last value of a header (Kafka allows repeats; the newest wins). */
export function header(record: Pick<ConsumedRecord, 'headers'>, name: string): Buffer | undefined {
  const v = record.headers[name];
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  if (last === undefined) return undefined;
  return typeof last === 'string' ? Buffer.from(last) : last;
}

export function headerText(record: Pick<ConsumedRecord, 'headers'>, name: string): string | undefined {
  return header(record, name)?.toString('utf8');
}

/** Big-endian integer of any width (Spring writes 4 or 8 bytes; BigInteger-style shorter forms also decode). */
export function headerNumber(record: Pick<ConsumedRecord, 'headers'>, name: string): number | undefined {
  const b = header(record, name);
  if (!b || b.length === 0 || b.length > 8) return undefined;
  let v = BigInt.asIntN(8, BigInt(b[0]!));
  for (let i = 1; i < b.length; i++) v = (v << 8n) | BigInt(b[i]!);
  return Number(v);
}

/** The record's own headers as plain values, for copying onto a new message. */
export function copyHeaders(record: Pick<ConsumedRecord, 'headers'>, drop: (name: string) => boolean = () => false): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  for (const [k, v] of Object.entries(record.headers)) {
    if (v === undefined || drop(k)) continue;
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    if (last !== undefined) out[k] = last;
  }
  return out;
}
