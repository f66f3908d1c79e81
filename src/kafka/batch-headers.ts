import type {Connection} from './connection.js';
import {AbortedTransactions} from './aborted-transactions.js';
import type {InternalFetchMessage} from './kafkajs-internals.js';
import {fetchChunks, type ReadOptions} from './partition-reader.js';

/**
 * A record batch's header as the broker stored it: what the idempotent and
 * transactional producer machinery writes (producer id, epoch, sequence numbers,
 * the transactional and control flags), and for a control batch its marker.
 * Field names follow Kafka's kafka-dump-log.
 */
export interface BatchHeader {
  partition: number;
  baseOffset: number;
  lastOffset: number;
  /** Records the fetch returned: fewer than the offset range when compaction removed some. */
  count: number;
  /** -1 for a producer that is neither idempotent nor transactional. */
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  lastSequence: number;
  isTransactional: boolean;
  isControl: boolean;
  /** A control batch's transaction marker. */
  endTxnMarker: 'COMMIT' | 'ABORT' | null;
  coordinatorEpoch: number | null;
  /** For transactional data read with read_committed: whether its transaction was aborted (null when not known). */
  aborted: boolean | null;
  firstTimestamp: number;
  maxTimestamp: number;
}

/**
 * Reads the batch headers of a topic's partitions in offset order. Unlike record
 * reads it shows everything the log holds: with read_uncommitted (the default here)
 * open and aborted transactions' batches and every marker; with read_committed only
 * up to the last stable offset, with aborted batches flagged.
 */
export async function* readBatchHeaders(conn: Connection, opts: ReadOptions): AsyncGenerator<BatchHeader> {
  const isolation = opts.isolation ?? 'read_uncommitted';
  const next = opts.positions ?? new Map<number, number>();
  for await (const chunk of fetchChunks(conn, {...opts, isolation}, next)) {
    const aborted = isolation === 'read_committed' ? new AbortedTransactions(chunk.abortedTransactions) : null;
    for (const batch of groupByBatch(chunk.messages)) {
      const header = batchHeader(chunk.partition, batch, aborted);
      next.set(chunk.partition, header.lastOffset + 1);
      yield header;
      if (opts.signal?.aborted) return;
    }
  }
}

/** Consecutive messages that share a batch header (kafkajs gives each record a copy of it). */
function groupByBatch(messages: InternalFetchMessage[]): InternalFetchMessage[][] {
  const batches: InternalFetchMessage[][] = [];
  let current: InternalFetchMessage[] = [];
  for (const m of messages) {
    if (current.length > 0 && current[0]!.batchContext?.firstOffset !== m.batchContext?.firstOffset) {
      batches.push(current);
      current = [];
    }
    current.push(m);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

const INT32_RANGE = 2 ** 31;

export function batchHeader(partition: number, records: InternalFetchMessage[], aborted: AbortedTransactions | null): BatchHeader {
  const first = records[0]!;
  const ctx = first.batchContext;
  const baseOffset = ctx?.firstOffset !== undefined ? Number(ctx.firstOffset) : Number(first.offset);
  const delta = ctx?.lastOffsetDelta ?? Number(records.at(-1)!.offset) - baseOffset;
  const baseSequence = ctx?.firstSequence ?? -1;
  const isControl = Boolean(ctx?.isControlBatch ?? first.isControlRecord);
  const marker = isControl ? controlMarker(first) : null;
  // The judgement on the first record is the batch's: a batch belongs to one producer and one transaction.
  const isAborted = aborted && ctx?.inTransaction ? aborted.skips(first) : null;
  for (const r of records.slice(1)) aborted?.skips(r);
  return {
    partition,
    baseOffset,
    lastOffset: baseOffset + delta,
    count: records.length,
    producerId: Number(ctx?.producerId ?? -1),
    producerEpoch: ctx?.producerEpoch ?? -1,
    baseSequence,
    // Sequences wrap at the int32 maximum, as producers number them.
    lastSequence: baseSequence < 0 ? -1 : (baseSequence + delta) % INT32_RANGE,
    isTransactional: Boolean(ctx?.inTransaction),
    isControl,
    endTxnMarker: marker?.type ?? null,
    coordinatorEpoch: marker?.coordinatorEpoch ?? null,
    aborted: isControl ? null : isAborted,
    firstTimestamp: Number(ctx?.firstTimestamp ?? first.timestamp),
    maxTimestamp: Number(ctx?.maxTimestamp ?? records.at(-1)!.timestamp),
  };
}

/** A control record's key is (int16 version, int16 type: 0 abort, 1 commit); its value (int16 version, int32 coordinator epoch). */
function controlMarker(record: InternalFetchMessage): {type: 'COMMIT' | 'ABORT' | null; coordinatorEpoch: number | null} {
  const key = record.key;
  const value = record.value;
  const type = key && key.length >= 4 ? key.readInt16BE(2) : null;
  return {
    type: type === 1 ? 'COMMIT' : type === 0 ? 'ABORT' : null,
    coordinatorEpoch: value && value.length >= 6 ? value.readInt32BE(2) : null,
  };
}
