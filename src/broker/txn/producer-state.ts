/**
 * Idempotent producer state of one partition: per producer id, its epoch and its last five
 * batches (first/last sequence, offsets), as Kafka's ProducerStateManager keeps them. It decides
 * what happens to an incoming batch before it is appended:
 *
 * - lower epoch than known → INVALID_PRODUCER_EPOCH (47), the producer was fenced;
 * - same epoch, same sequences as one of the last five → a duplicate: not appended, answered
 *   with success and the original base offset (kafkajs resends exactly that batch after any
 *   error, librdkafka after a timeout);
 * - higher epoch → the sequence starts over at 0; same epoch → it continues at last + 1
 *   (wrapping at int32 max); anything else → OUT_OF_ORDER_SEQUENCE_NUMBER (45);
 * - a producer with no state here (new, or all its batches gone from the log) → accepted.
 *
 * DUPLICATE_SEQUENCE_NUMBER and UNKNOWN_PRODUCER_ID are never answered: kafkajs treats the first
 * as fatal and the second would make clients reset their sequence mid-stream.
 * Batches below the log start offset (DeleteRecords, retention) no longer count: the log is the
 * truth, and a duplicate must never be answered with an offset the log no longer has.
 * Pure state, no I/O: the registry (producer-registry.ts) rebuilds it from the log.
 */
import {ErrorCode} from '../protocol/errors.js';
import {PartitionTxns} from './partition-txns.js';

/** How many recent batches per producer are remembered for deduplication (as Kafka). */
export const RETAINED_BATCHES = 5;
const INT32_MAX = 0x7fffffff;

/** The producer fields of a batch header, plus its offset span. */
export interface ProducerBatch {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  lastOffsetDelta: number;
}

interface RetainedBatch {
  firstSequence: number;
  lastSequence: number;
  firstOffset: number;
  lastOffset: number;
}

interface ProducerEntry {
  epoch: number;
  /** Oldest first, at most RETAINED_BATCHES. */
  batches: RetainedBatch[];
}

export type Verdict =
  | {kind: 'append'}
  | {kind: 'duplicate'; baseOffset: number}
  | {kind: 'reject'; code: number; reason: string};

const APPEND: Verdict = {kind: 'append'};

/** Kafka's sequence arithmetic: int32 sequences wrap to 0 after 2^31 - 1. */
export function addToSequence(sequence: number, increment: number): number {
  return sequence > INT32_MAX - increment ? increment - (INT32_MAX - sequence) - 1 : sequence + increment;
}

export class PartitionProducers {
  /** Open and aborted transactions here (last stable offset, aborted list). */
  readonly txns = new PartitionTxns();
  private readonly producers = new Map<number, ProducerEntry>();
  /** Log start offset at the last full sweep; a higher one triggers the next sweep. */
  private sweptAt = 0;

  get producerCount(): number {
    return this.producers.size;
  }

  /** What to do with `batch` given the log now starts at `logStartOffset`. */
  check(batch: ProducerBatch, logStartOffset: number): Verdict {
    if (batch.producerId < 0) return APPEND;
    if (batch.producerEpoch < 0 || batch.baseSequence < 0) {
      return reject(
        ErrorCode.INVALID_RECORD,
        `producer ${batch.producerId} sent epoch ${batch.producerEpoch} and base sequence ${batch.baseSequence}; an idempotent batch needs both >= 0`,
      );
    }
    this.forgetBelow(logStartOffset);
    const entry = this.producers.get(batch.producerId);
    if (!entry) return APPEND;
    if (batch.producerEpoch < entry.epoch) {
      return reject(
        ErrorCode.INVALID_PRODUCER_EPOCH,
        `producer ${batch.producerId} has epoch ${batch.producerEpoch}, older than its current epoch ${entry.epoch} (it was fenced)`,
      );
    }
    const lastSequence = addToSequence(batch.baseSequence, batch.lastOffsetDelta);
    if (batch.producerEpoch > entry.epoch) {
      if (batch.baseSequence === 0) return APPEND;
      return reject(
        ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        `producer ${batch.producerId} starts epoch ${batch.producerEpoch} at sequence ${batch.baseSequence}; a new epoch starts at 0`,
      );
    }
    const same = entry.batches.find((b) => b.firstSequence === batch.baseSequence && b.lastSequence === lastSequence);
    if (same) return {kind: 'duplicate', baseOffset: same.firstOffset};
    const expected = addToSequence(entry.batches[entry.batches.length - 1]!.lastSequence, 1);
    if (batch.baseSequence === expected) return APPEND;
    return reject(
      ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
      `producer ${batch.producerId} epoch ${entry.epoch} sent sequence ${batch.baseSequence}, expected ${expected}`,
    );
  }

  /** Remembers a batch now in the log at `baseOffset` (after an append, or replayed from the log). */
  record(batch: ProducerBatch, baseOffset: number): void {
    if (batch.producerId < 0 || batch.producerEpoch < 0 || batch.baseSequence < 0) return;
    let entry = this.producers.get(batch.producerId);
    if (entry && batch.producerEpoch < entry.epoch) return;
    if (!entry || batch.producerEpoch > entry.epoch) {
      entry = {epoch: batch.producerEpoch, batches: []};
      this.producers.set(batch.producerId, entry);
    }
    entry.batches.push({
      firstSequence: batch.baseSequence,
      lastSequence: addToSequence(batch.baseSequence, batch.lastOffsetDelta),
      firstOffset: baseOffset,
      lastOffset: baseOffset + batch.lastOffsetDelta,
    });
    if (entry.batches.length > RETAINED_BATCHES) entry.batches.shift();
  }

  /** Drops batches wholly below the log start, and producers left with none (a full sweep only when the start moved). */
  private forgetBelow(logStartOffset: number): void {
    if (logStartOffset <= this.sweptAt) return;
    this.sweptAt = logStartOffset;
    for (const [producerId, entry] of this.producers) {
      entry.batches = entry.batches.filter((b) => b.lastOffset >= logStartOffset);
      if (entry.batches.length === 0) this.producers.delete(producerId);
    }
  }

  /** A stable, comparable view for tests and diagnostics. */
  describe(): Array<{producerId: number; epoch: number; batches: Array<[firstSequence: number, lastSequence: number, firstOffset: number]>}> {
    return [...this.producers]
      .sort(([a], [b]) => a - b)
      .map(([producerId, e]) => ({producerId, epoch: e.epoch, batches: e.batches.map((b) => [b.firstSequence, b.lastSequence, b.firstOffset])}));
  }
}

function reject(code: number, reason: string): Verdict {
  return {kind: 'reject', code, reason};
}
