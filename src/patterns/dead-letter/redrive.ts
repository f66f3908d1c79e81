import type {Connection} from '../../kafka/connection.js';
import {ConfigError, NoSuchTopicError, OperationError} from '../../core/errors.js';
import {plural} from '../../core/plural.js';
import {readPartitions} from '../../kafka/partition-reader.js';
import {Publisher, type OutgoingMessage} from '../../kafka/publisher.js';
import {copyHeaders, DltHeader, headerText, int32, KpatHeader} from '../headers.js';
import {matchesFilter, readDeadLetters, type DeadLetter} from './dead-letters.js';

export interface RedriveOptions {
  /** Send everything here instead of each dead letter's original topic. */
  to?: string;
  filter?: string;
  dryRun?: boolean;
  /** Leave out dead letters that failed deserialization or validation (they would fail again unchanged). */
  skipInvalid?: boolean;
}

export interface RedriveResult {
  considered: number;
  sent: Array<{deadLetter: string; to: string}>;
  alreadyRedriven: number;
  filteredOut: number;
  noDestination: number;
  /** Of those sent, how many had failed deserialization or validation. */
  invalidSent: number;
  /** Left out by skipInvalid. */
  invalidSkipped: number;
}

/** The identity of a dead letter: where it sits in its DLT. A redriven copy carries it. */
/** Failures of the record itself: sending it back unchanged fails the same way unless the consumer changed. */
export const isInvalidRecord = (d: DeadLetter) => d.reason === 'deserialization' || d.reason === 'validation';

export const deadLetterId = (dltTopic: string, d: DeadLetter) => `${dltTopic}/${d.record.partition}/${d.record.offset}`;

// Failure and routing headers belong to the failed attempt, not to the next one.
const isAttemptHeader = (name: string) => name.startsWith('kafka_dlt-') || name.startsWith('kpat_dlt-') || name.startsWith('retry_topic-') || name === KpatHeader.redrivenFrom;

/** Redriven copies already on a topic, by the dead letter they came from. */
async function redrivenIds(conn: Connection, topic: string): Promise<Set<string>> {
  const ids = new Set<string>();
  try {
    for await (const r of readPartitions(conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true})) {
      const from = headerText(r, KpatHeader.redrivenFrom);
      if (from) ids.add(from);
    }
  } catch (error) {
    // A destination that does not exist yet holds no copies (sending creates it where the broker allows).
    if (!(error instanceof NoSuchTopicError && error.topic === topic)) throw error;
  }
  return ids;
}

/**
 * Sends dead letters back to their original topic (from the DLT headers) or to
 * `to`: key and value as they were, the original headers, a redrive count and
 * the dead letter's identity. A dead letter whose copy is already on the
 * destination is skipped, so running redrive twice sends nothing twice.
 */
export async function redrive(conn: Connection, dltTopic: string, opts: RedriveOptions = {}): Promise<RedriveResult> {
  const letters = await readDeadLetters(conn, dltTopic);
  if (letters.length > 0 && letters.every((d) => d.original.topic === null)) {
    throw new OperationError(
      `${dltTopic} is not a dead-letter topic: it holds ${plural(letters.length, 'record')}, none with a ${DltHeader.originalTopic} header — give the DLT itself, e.g. orders.v1.dlt (\`kpat dlt inspect\` shows what a topic holds)`,
    );
  }
  const result: RedriveResult = {considered: letters.length, sent: [], alreadyRedriven: 0, filteredOut: 0, noDestination: 0, invalidSent: 0, invalidSkipped: 0};
  const seenByTopic = new Map<string, Set<string>>();
  const outgoing: OutgoingMessage[] = [];
  for (const d of letters) {
    if (!matchesFilter(d, opts.filter)) {
      result.filteredOut++;
      continue;
    }
    if (opts.skipInvalid && isInvalidRecord(d)) {
      result.invalidSkipped++;
      continue;
    }
    const to = opts.to ?? d.original.topic;
    if (!to) {
      result.noDestination++;
      continue;
    }
    if (to === dltTopic) throw new ConfigError(`refusing to redrive ${dltTopic} into itself — pass --to with another topic`);
    let seen = seenByTopic.get(to);
    if (!seen) seenByTopic.set(to, (seen = await redrivenIds(conn, to)));
    const id = deadLetterId(dltTopic, d);
    if (seen.has(id)) {
      result.alreadyRedriven++;
      continue;
    }
    seen.add(id);
    result.sent.push({deadLetter: id, to});
    if (isInvalidRecord(d)) result.invalidSent++;
    outgoing.push({
      topic: to,
      key: d.record.key,
      value: d.record.value,
      headers: {...copyHeaders(d.record, isAttemptHeader), [KpatHeader.redriveCount]: int32(d.redriveCount + 1), [KpatHeader.redrivenFrom]: id},
    });
  }
  if (!opts.dryRun && outgoing.length > 0) {
    const publisher = await Publisher.connect(conn, 'dlt-redrive');
    try {
      await publisher.send(outgoing);
    } finally {
      await publisher.close();
    }
  }
  return result;
}
