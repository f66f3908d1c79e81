import type {Connection} from '../../kafka/connection.js';
import {readPartitions} from '../../kafka/partition-reader.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {DltHeader, headerNumber, headerText, KpatHeader} from '../headers.js';

/** A dead letter as kpat reads it back: where it came from and why it failed. */
export interface DeadLetter {
  record: ConsumedRecord;
  original: {topic: string | null; partition: number | null; offset: number | null; timestamp: number | null; group: string | null};
  errorClass: string;
  message: string;
  reason: string;
  failedAt: string | null;
  attempts: number | null;
  redriveCount: number;
}

export function asDeadLetter(record: ConsumedRecord): DeadLetter {
  return {
    record,
    original: {
      topic: headerText(record, DltHeader.originalTopic) ?? null,
      partition: headerNumber(record, DltHeader.originalPartition) ?? null,
      offset: headerNumber(record, DltHeader.originalOffset) ?? null,
      timestamp: headerNumber(record, DltHeader.originalTimestamp) ?? null,
      group: headerText(record, DltHeader.originalConsumerGroup) ?? null,
    },
    errorClass: headerText(record, DltHeader.exceptionFqcn) ?? 'unknown',
    message: headerText(record, DltHeader.exceptionMessage) ?? '',
    reason: headerText(record, KpatHeader.reason) ?? 'unknown',
    failedAt: headerText(record, KpatHeader.failedAt) ?? null,
    attempts: headerNumber(record, KpatHeader.attempts) ?? null,
    redriveCount: headerNumber(record, KpatHeader.redriveCount) ?? 0,
  };
}

export async function readDeadLetters(conn: Connection, dltTopic: string): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for await (const r of readPartitions(conn, {topic: dltTopic, start: {kind: 'earliest'}, stopAtEnd: true})) out.push(asDeadLetter(r));
  return out;
}

/** True when the text appears in the key, the value, the error class or message, or the reason. */
export function matchesFilter(d: DeadLetter, filter: string | undefined): boolean {
  if (!filter) return true;
  const hay = [d.record.key?.toString('utf8') ?? '', d.record.value?.toString('utf8') ?? '', d.errorClass, d.message, d.reason].join('\n');
  return hay.includes(filter);
}

export interface ErrorGroup {
  errorClass: string;
  reason: string;
  count: number;
  firstFailedAt: string | null;
  lastFailedAt: string | null;
  originalTopics: string[];
  /** The consumer groups that failed them (kafka_dlt-original-consumer-group). */
  originalGroups: string[];
  samples: DeadLetter[];
}

/** Dead letters grouped by what went wrong, largest group first, with a few samples each. */
export function groupByError(letters: DeadLetter[], samplesPerGroup = 3): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const d of letters) {
    const k = `${d.errorClass}\u0000${d.reason}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = {errorClass: d.errorClass, reason: d.reason, count: 0, firstFailedAt: null, lastFailedAt: null, originalTopics: [], originalGroups: [], samples: []}));
    g.count++;
    if (d.failedAt && (!g.firstFailedAt || d.failedAt < g.firstFailedAt)) g.firstFailedAt = d.failedAt;
    if (d.failedAt && (!g.lastFailedAt || d.failedAt > g.lastFailedAt)) g.lastFailedAt = d.failedAt;
    if (d.original.topic && !g.originalTopics.includes(d.original.topic)) g.originalTopics.push(d.original.topic);
    if (d.original.group && !g.originalGroups.includes(d.original.group)) g.originalGroups.push(d.original.group);
    if (g.samples.length < samplesPerGroup) g.samples.push(d);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
