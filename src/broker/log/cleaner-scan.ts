/**
 * The cleaner's read of the whole log before it rewrites anything: where transactions stand
 * (from batch headers and marker records, as Kafka's cleaner uses its aborted-transaction index)
 * and the newest offset of every key among the records that count.
 *
 * An aborted transaction's records never count: they are dropped whatever their keys, and must
 * not displace an older committed value. Records of transactions still open do not count
 * either (they may yet be aborted), and nothing from the first of them on is cleaned.
 */
import {markerTypeAt} from '../txn/partition-txns.js';
import {Compression, decodeRecords, type DecodedRecord, type RecordBatchHeader} from '../protocol/record-batch.js';
import {readBytes, scanBatches} from './batch-scan.js';
import type {LogSegment} from './log-segment.js';

export interface TxnView {
  /** Base offsets of the data batches of aborted transactions. */
  abortedBatches: Set<number>;
  /** Base offsets of data batches whose transaction has no marker yet. */
  openBatches: Set<number>;
  /** First offset of the oldest open transaction (the last stable offset), or Infinity. */
  firstUnstableOffset: number;
  /** Marker offset → base offsets of its transaction's data batches still in the log. */
  dataOfMarker: Map<number, number[]>;
}

export interface LogScan {
  txns: TxnView;
  /** Offset of the newest record of every key (decodable batches, aborted and open transactions left out). */
  latest: Map<string, number>;
  /** Base offset of each idempotent producer's last data batch (it holds the producer's last sequence). */
  lastBatchOfProducer: Map<number, number>;
}

/** Reads every record of the log (decodable batches): the newest offset of each key. */
export function scanLog(segments: readonly LogSegment[], txns: TxnView): LogScan {
  const latest = new Map<string, number>();
  const lastBatchOfProducer = new Map<number, number>();
  for (const segment of segments) {
    forEachBatch(segment, (header, records) => {
      if (header.isControl) return;
      if (header.producerId >= 0) lastBatchOfProducer.set(header.producerId, header.baseOffset);
      if (!records || txns.abortedBatches.has(header.baseOffset) || txns.openBatches.has(header.baseOffset)) return;
      // A committed transaction's records sit before its marker, among later plain writes: newest by offset.
      for (const record of records) {
        if (!record.key) continue;
        const key = record.key.toString('latin1');
        if ((latest.get(key) ?? -1) < record.offset) latest.set(key, record.offset);
      }
    });
  }
  return {txns, latest, lastBatchOfProducer};
}

/** Pairs each transactional data batch with the marker that ends its transaction (a header walk, cheap). */
export function scanTransactions(segments: readonly LogSegment[]): TxnView {
  const open = new Map<number, number[]>();
  const view: TxnView = {abortedBatches: new Set(), openBatches: new Set(), firstUnstableOffset: Infinity, dataOfMarker: new Map()};
  for (const segment of segments) {
    for (const {position, header} of batchPositions(segment)) {
      if (!header.isTransactional) continue;
      if (!header.isControl) {
        const batches = open.get(header.producerId);
        if (batches) batches.push(header.baseOffset);
        else open.set(header.producerId, [header.baseOffset]);
        continue;
      }
      const type = markerTypeAt(readBytes(segment.fileDescriptor(), position, header.sizeInBytes), 0);
      if (!type) continue;
      const batches = open.get(header.producerId) ?? [];
      open.delete(header.producerId);
      view.dataOfMarker.set(header.baseOffset, batches);
      if (type === 'abort') for (const offset of batches) view.abortedBatches.add(offset);
    }
  }
  for (const batches of open.values()) {
    for (const offset of batches) view.openBatches.add(offset);
    view.firstUnstableOffset = Math.min(view.firstUnstableOffset, batches[0]!);
  }
  return view;
}

function batchPositions(segment: LogSegment): Array<{position: number; header: RecordBatchHeader}> {
  const positions: Array<{position: number; header: RecordBatchHeader}> = [];
  scanBatches(segment.fileDescriptor(), 0, segment.size, {verifyCrc: false, minBaseOffset: segment.baseOffset}, (position, header) => {
    positions.push({position, header});
  });
  return positions;
}

/**
 * Calls `visit` for every batch of the segment with its bytes and, for data batches the cleaner
 * can decode, its records (null: keep the batch whole unless it is dropped whole).
 */
export function forEachBatch(segment: LogSegment, visit: (header: RecordBatchHeader, records: DecodedRecord[] | null, bytes: Buffer) => void): void {
  for (const {position, header} of batchPositions(segment)) {
    const bytes = readBytes(segment.fileDescriptor(), position, header.sizeInBytes);
    visit(header, filterable(header) ? decodeRecords(bytes, 0) : null, bytes);
  }
}

function filterable(header: RecordBatchHeader): boolean {
  if (header.isControl) return false; // markers go whole or stay whole
  return header.compression === Compression.none || header.compression === Compression.gzip;
}
