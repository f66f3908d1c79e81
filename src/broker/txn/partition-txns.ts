/**
 * Transaction state of one partition, derived from its log: where each producer's open
 * transaction starts, and the span of every aborted transaction. From these come the last stable
 * offset (the first offset of the oldest open transaction, else the high watermark) and the
 * aborted list a read_committed Fetch returns, so a client can drop aborted records.
 * Pure state, no I/O: the producer registry rebuilds it with the same log walk as the
 * idempotent state, and Produce and the coordinator's markers keep it current.
 */
import {BatchAttribute, decodeRecords, type RecordBatchHeader} from '../protocol/record-batch.js';

export interface AbortedTxn {
  producerId: number;
  firstOffset: number;
  /** The offset of the abort marker. */
  lastOffset: number;
}

export type MarkerType = 'commit' | 'abort';

export class PartitionTxns {
  /** producer id → first offset of its open transaction here. */
  private readonly open = new Map<number, number>();
  /** Sorted by first offset (clients only look at the head of the list). */
  private aborted: AbortedTxn[] = [];

  /** A data batch was appended at `baseOffset`. */
  onData(header: Pick<RecordBatchHeader, 'attributes' | 'producerId'>, baseOffset: number): void {
    if ((header.attributes & BatchAttribute.transactional) === 0 || (header.attributes & BatchAttribute.control) !== 0) return;
    if (!this.open.has(header.producerId)) this.open.set(header.producerId, baseOffset);
  }

  /** A marker ended `producerId`'s transaction at `markerOffset`. */
  onMarker(producerId: number, type: MarkerType, markerOffset: number): void {
    const first = this.open.get(producerId);
    if (first === undefined) return;
    this.open.delete(producerId);
    if (type === 'commit') return;
    const entry = {producerId, firstOffset: first, lastOffset: markerOffset};
    let i = this.aborted.length;
    while (i > 0 && this.aborted[i - 1]!.firstOffset > first) i--;
    this.aborted.splice(i, 0, entry);
  }

  hasOpen(producerId: number): boolean {
    return this.open.has(producerId);
  }

  lastStableOffset(highWatermark: number): number {
    let lso = highWatermark;
    for (const first of this.open.values()) lso = Math.min(lso, first);
    return lso;
  }

  /** Aborted transactions overlapping [from, to), by first offset. */
  abortedIn(from: number, to: number): AbortedTxn[] {
    return this.aborted.filter((a) => a.lastOffset >= from && a.firstOffset < to);
  }

  /** Aborted spans wholly below the log start can no longer matter to a reader. */
  forgetBelow(logStartOffset: number): void {
    if (this.aborted.length > 0 && this.aborted[0]!.firstOffset < logStartOffset) {
      this.aborted = this.aborted.filter((a) => a.lastOffset >= logStartOffset);
    }
  }

  /**
   * The log cleaner removed these markers (their transactions had no data left): their aborted
   * spans go too, or a reader would drop the producer's later records waiting for a marker
   * that is no longer there.
   */
  forgetMarkers(markerOffsets: readonly number[]): void {
    if (markerOffsets.length === 0) return;
    const removed = new Set(markerOffsets);
    this.aborted = this.aborted.filter((a) => !removed.has(a.lastOffset));
  }

  /** A stable view for tests and diagnostics. */
  describe(): {open: Array<[producerId: number, firstOffset: number]>; aborted: AbortedTxn[]} {
    return {open: [...this.open].sort(([a], [b]) => a - b), aborted: [...this.aborted]};
  }
}

/**
 * The control record of a marker batch as Kafka writes it: key = int16 version 0 + int16 type
 * (0 abort, 1 commit), value = int16 version 0 + int32 coordinator epoch.
 */
export function markerRecord(type: MarkerType, coordinatorEpoch: number): {key: Buffer; value: Buffer} {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(type === 'commit' ? 1 : 0, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return {key, value};
}

/** The marker type of the control batch at `pos`, or null for another kind of control record. */
export function markerTypeAt(buf: Buffer, pos: number): MarkerType | null {
  const key = decodeRecords(buf, pos)[0]?.key;
  if (!key || key.length < 4) return null;
  const type = key.readInt16BE(2);
  return type === 1 ? 'commit' : type === 0 ? 'abort' : null;
}
