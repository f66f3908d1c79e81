import type {Connection} from './connection.js';
import {AbortedTransactions} from './aborted-transactions.js';
import type {FetchedBatch} from './fetch-batches.js';
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
    for (const batch of chunk.batches) {
      const header = batchHeader(chunk.partition, batch, aborted);
      next.set(chunk.partition, header.lastOffset + 1);
      yield header;
      if (opts.signal?.aborted) return;
    }
  }
}

const INT32_RANGE = 2 ** 31;

export function batchHeader(partition: number, batch: FetchedBatch, aborted: AbortedTransactions | null): BatchHeader {
  const delta = batch.lastOffset - batch.baseOffset;
  const marker = batch.isControl ? controlMarker(batch.records[0]!) : null;
  // Every batch goes through the judge, in order: markers close the transactions they end.
  const skipped = aborted?.skips(batch) ?? false;
  return {
    partition,
    baseOffset: batch.baseOffset,
    lastOffset: batch.lastOffset,
    count: batch.records.length,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    // Sequences wrap at the int32 maximum, as producers number them.
    lastSequence: batch.baseSequence < 0 ? -1 : (batch.baseSequence + delta) % INT32_RANGE,
    isTransactional: batch.isTransactional,
    isControl: batch.isControl,
    endTxnMarker: marker?.type ?? null,
    coordinatorEpoch: marker?.coordinatorEpoch ?? null,
    aborted: batch.isControl || !aborted || !batch.isTransactional ? null : skipped,
    firstTimestamp: batch.firstTimestamp,
    maxTimestamp: batch.maxTimestamp,
  };
}

/** A control record's key is (int16 version, int16 type: 0 abort, 1 commit); its value (int16 version, int32 coordinator epoch). */
function controlMarker(record: {key: Buffer | null; value: Buffer | null}): {type: 'COMMIT' | 'ABORT' | null; coordinatorEpoch: number | null} {
  const key = record.key;
  const value = record.value;
  const type = key && key.length >= 4 ? key.readInt16BE(2) : null;
  return {
    type: type === 1 ? 'COMMIT' : type === 0 ? 'ABORT' : null,
    coordinatorEpoch: value && value.length >= 6 ? value.readInt32BE(2) : null,
  };
}
