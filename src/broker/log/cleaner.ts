/**
 * The log cleaner of `cleanup.policy=compact` topics: keeps the latest record per key in the
 * sealed segments (never the active one), so a compacted topic holds about one record per key.
 *
 * Offsets never change. A batch whose records all survive is copied byte for byte; a batch that
 * loses some is re-encoded from its survivors with a new CRC, keeping its base offset, last
 * offset delta and producer fields, each record at its original offset delta (gaps stay), as
 * Kafka does. A batch that loses all is dropped, unless it is an idempotent producer's last.
 * Batches the broker cannot decode (snappy, lz4, zstd) are kept whole, as is the log's last batch.
 *
 * Transactions (see cleaner-scan.ts): aborted transactions' data batches are dropped whole;
 * committed ones are compacted like any other; nothing from the last stable offset on is
 * touched. A marker goes once its transaction has no data left and delete.retention.ms has
 * passed; the caller makes the aborted-transaction index forget removed markers.
 *
 * Crash safety: each cleaned segment is written to `<base>.log.cleaned.tmp` and fsynced, then
 * the old index is removed and the temp file renamed over the segment (atomic), then the new
 * index is saved. Leftover temp files are deleted when the log opens, a missing index is rebuilt,
 * so a crash at any step leaves either the old or the new segment, never a mix.
 */
import {fsyncSync, renameSync, rmSync, unlinkSync, writeSync} from 'node:fs';
import {
  Compression,
  encodeRecordBatch,
  readBatchHeader,
  type DecodedRecord,
  type RecordBatchHeader,
} from '../protocol/record-batch.js';
import {forEachBatch, scanLog, scanTransactions, type LogScan} from './cleaner-scan.js';
import {readCleanerCheckpoint, writeCleanerCheckpoint, type CleanerCheckpoint} from './cleaner-checkpoint.js';
import {pooledFile} from './fd-pool.js';
import {fsyncDirectory} from './log-start-checkpoint.js';
import type {LogSegment} from './log-segment.js';
import type {PartitionLog} from './partition-log.js';
import {TEMP_SUFFIX} from './segment-files.js';
import {openSealedSegment} from './segment-recovery.js';
import {SparseIndex} from './sparse-index.js';

/** The topic configs the cleaner follows (Kafka's names). */
export interface CleanerConfig {
  /** min.cleanable.dirty.ratio: clean once dirty bytes / sealed bytes reach this. */
  minCleanableDirtyRatio: number;
  /** min.compaction.lag.ms: a segment with records younger than this is not cleaned yet. */
  minCompactionLagMs: number;
  /** delete.retention.ms: how long a tombstone (null value) stays after its segment's newest record. */
  deleteRetentionMs: number;
}

export interface CleanerStatus {
  /** Bytes of sealed segments not cleaned yet. */
  dirtyBytes: number;
  /** Bytes of all sealed segments (the active one is never cleaned). */
  sealedBytes: number;
  dirtyRatio: number;
  lastCleanedMs: number;
}

export interface CleanResult {
  segmentsRewritten: number;
  bytesRead: number;
  bytesWritten: number;
  recordsRemoved: number;
  /** Offsets of the transaction markers removed (the aborted-transaction index must forget them). */
  markersRemoved: number[];
}

export interface CleanHooks {
  /** Runs after a cleaned segment is written and fsynced, before it replaces the old one. */
  beforeSwap?: () => Promise<void>;
}

export function cleanerStatus(log: PartitionLog): CleanerStatus {
  const checkpoint = readCleanerCheckpoint(log.dir);
  const sealed = log.sealedSegmentsForCleaner();
  let dirtyBytes = 0;
  let sealedBytes = 0;
  for (const segment of sealed) {
    sealedBytes += segment.size;
    if (segment.baseOffset >= checkpoint.firstDirtyOffset) dirtyBytes += segment.size;
  }
  return {dirtyBytes, sealedBytes, dirtyRatio: sealedBytes === 0 ? 0 : dirtyBytes / sealedBytes, lastCleanedMs: checkpoint.lastCleanedMs};
}

/**
 * Cleans the log when it is dirty enough (or a kept tombstone has expired). Returns null when
 * there was nothing to do.
 */
export async function cleanLog(log: PartitionLog, config: CleanerConfig, now: number, hooks: CleanHooks = {}): Promise<CleanResult | null> {
  const checkpoint = readCleanerCheckpoint(log.dir);
  const status = cleanerStatus(log);
  const sealed = log.sealedSegmentsForCleaner();
  const lagLimit = now - config.minCompactionLagMs;
  let cleanable = 0;
  // A segment emptied by an earlier clean has no timestamps (its mtime is the clean): no lag applies.
  const pastLag = (segment: LogSegment) => segment.isEmpty || segment.largestTimestamp() <= lagLimit;
  while (cleanable < sealed.length && pastLag(sealed[cleanable]!)) cleanable++;
  if (cleanable === 0) return null;
  const dirtyEnough = status.dirtyBytes > 0 && status.dirtyRatio >= config.minCleanableDirtyRatio;
  const tombstonesDue = checkpoint.tombstoneExpiryMs !== undefined && checkpoint.tombstoneExpiryMs >= 0 && now >= checkpoint.tombstoneExpiryMs;
  if (!dirtyEnough && !tombstonesDue) return null;

  const segments = log.allSegmentsForCleaner();
  const txns = scanTransactions(segments);
  // Nothing at or after the last stable offset is cleaned: an open transaction may still abort.
  const endOf = (i: number) => (i + 1 < sealed.length ? sealed[i + 1]!.baseOffset : log.activeBaseOffsetForCleaner());
  while (cleanable > 0 && endOf(cleanable - 1) > txns.firstUnstableOffset) cleanable--;
  if (cleanable === 0) return null;
  const scan = scanLog(segments, txns);
  const result: CleanResult = {segmentsRewritten: 0, bytesRead: 0, bytesWritten: 0, recordsRemoved: 0, markersRemoved: []};
  // Transactional data batches written back so far in this pass: a marker whose data all went stays one more pass.
  const keptTxnBatches = new Set<number>();
  let tombstoneExpiryMs = -1;
  const cleanDueAt = (expiry: number) => (tombstoneExpiryMs = tombstoneExpiryMs < 0 ? expiry : Math.min(tombstoneExpiryMs, expiry));
  for (const segment of sealed.slice(0, cleanable)) {
    // Each segment is rewritten synchronously; between segments, requests get their turn.
    await new Promise((resolve) => setImmediate(resolve));
    if (log.isClosed) return result;
    if (segment.isDeleted) continue; // retention or DeleteRecords took it meanwhile
    const dropTombstones = segment.largestTimestamp() + config.deleteRetentionMs <= now;
    const rewrite = rewriteSegment(log, segment, scan, keptTxnBatches, dropTombstones, log.logEndOffset - 1);
    result.bytesRead += segment.size;
    const expiry = segment.largestTimestamp() + config.deleteRetentionMs;
    if (rewrite.keptTombstones && !dropTombstones) cleanDueAt(expiry);
    // Due at once when already expired: the next pass finds the marker without data.
    if (rewrite.markersPending) cleanDueAt(expiry);
    if (rewrite.removed === 0) {
      rmSync(rewrite.tempPath, {force: true});
      result.bytesWritten += segment.size;
      continue;
    }
    try {
      await hooks.beforeSwap?.();
      const installed = log.replaceSealedSegment(segment, () => installCleanedSegment(log, segment, rewrite));
      if (!installed) continue; // deleted meanwhile (retention, DeleteRecords, topic deletion)
    } finally {
      rmSync(rewrite.tempPath, {force: true});
    }
    result.segmentsRewritten++;
    result.recordsRemoved += rewrite.removed;
    result.markersRemoved.push(...rewrite.markersRemoved);
    result.bytesWritten += rewrite.size;
  }
  if (log.isClosed) return result;
  const next: CleanerCheckpoint = {
    firstDirtyOffset: cleanable < sealed.length ? sealed[cleanable]!.baseOffset : log.activeBaseOffsetForCleaner(),
    lastCleanedMs: now,
    tombstoneExpiryMs,
  };
  writeCleanerCheckpoint(log.dir, next);
  return result;
}

interface Rewrite {
  tempPath: string;
  size: number;
  index: SparseIndex;
  removed: number;
  keptTombstones: boolean;
  /** A kept marker may go in a later pass (its data is gone, delete.retention.ms not yet passed). */
  markersPending: boolean;
  markersRemoved: number[];
}

/** Writes the survivors of `segment` to a temp file (fsynced), with the index they need. */
function rewriteSegment(
  log: PartitionLog,
  segment: LogSegment,
  scan: LogScan,
  keptTxnBatches: Set<number>,
  dropTombstones: boolean,
  lastOffset: number,
): Rewrite {
  const {latest, lastBatchOfProducer, txns} = scan;
  const {pool, indexIntervalBytes} = log.cleanerAccess();
  const tempPath = `${segment.logPath}.cleaned${TEMP_SUFFIX}`;
  rmSync(tempPath, {force: true});
  const file = pooledFile(tempPath, 'wx+');
  const index = SparseIndex.empty();
  let size = 0;
  let bytesSinceIndexEntry = 0;
  let maxTimestamp = -1;
  let removed = 0;
  let keptTombstones = false;
  let markersPending = false;
  const markersRemoved: number[] = [];
  const write = (batch: Buffer, header: RecordBatchHeader) => {
    if (size > 0 && bytesSinceIndexEntry >= indexIntervalBytes) {
      index.add(header.baseOffset - segment.baseOffset, size, maxTimestamp);
      bytesSinceIndexEntry = 0;
    }
    const fd = pool.fd(file);
    file.flags = 'r+';
    let done = 0;
    while (done < batch.length) done += writeSync(fd, batch, done, batch.length - done, size + done);
    size += batch.length;
    bytesSinceIndexEntry += batch.length;
    maxTimestamp = Math.max(maxTimestamp, header.maxTimestamp);
    if (header.isTransactional && !header.isControl) keptTxnBatches.add(header.baseOffset);
  };
  // An idempotent producer's last batch stays, if only as a header: its sequence lives there.
  const keepsHeader = (header: RecordBatchHeader) => lastBatchOfProducer.get(header.producerId) === header.baseOffset;
  try {
    forEachBatch(segment, (header, records, bytes) => {
      // The log's last batch stays whole, as in Kafka where it sits in the never-cleaned active
      // segment: readers that stop at the end offset need a record at end - 1.
      if (header.lastOffset === lastOffset) return write(bytes, header);
      const markerData = txns.dataOfMarker.get(header.baseOffset);
      if (header.isControl && markerData) {
        // As Kafka: a marker goes once its transaction has no data left (a reader that saw the
        // data still finds the marker) and delete.retention.ms has passed.
        if (markerData.length === 0 && dropTombstones) {
          removed += header.recordCount;
          markersRemoved.push(header.baseOffset);
          return;
        }
        if (markerData.every((offset) => !keptTxnBatches.has(offset))) markersPending = true;
        return write(bytes, header);
      }
      if (txns.abortedBatches.has(header.baseOffset)) {
        removed += header.recordCount;
        if (keepsHeader(header)) write(reencode(header, []), header);
        return;
      }
      if (!records) return write(bytes, header);
      const kept = records.filter((record) => {
        if (!record.key) return true; // written before the topic became compacted: nothing supersedes it
        if (latest.get(record.key.toString('latin1')) !== record.offset) return false;
        if (record.value !== null) return true;
        if (!dropTombstones) keptTombstones = true;
        return !dropTombstones;
      });
      removed += records.length - kept.length;
      if (kept.length === records.length) return write(bytes, header);
      if (kept.length === 0 && !keepsHeader(header)) return;
      const batch = reencode(header, kept);
      write(batch, readBatchHeader(batch, 0));
    });
    const fd = pool.pin(file);
    try {
      fsyncSync(fd);
    } finally {
      pool.unpin(file);
    }
  } catch (error) {
    pool.close(file);
    rmSync(tempPath, {force: true});
    throw error;
  }
  pool.close(file);
  return {tempPath, size, index, removed, keptTombstones, markersPending, markersRemoved};
}

/**
 * A batch of the surviving records of `header`'s batch, as Kafka's cleaner writes it: same base
 * offset, last offset delta and producer fields (so producer state rebuilt from batch headers
 * stays right), each record at its original offset delta. No survivors: a batch without records.
 */
function reencode(header: RecordBatchHeader, kept: DecodedRecord[]): Buffer {
  const logAppendTime = header.timestampType === 'LogAppendTime';
  return encodeRecordBatch({
    baseOffset: header.baseOffset,
    lastOffsetDelta: header.lastOffsetDelta,
    records: kept.map((record) => ({
      key: record.key,
      value: record.value,
      headers: record.headers,
      timestamp: record.timestamp,
      offsetDelta: record.offset - header.baseOffset,
    })),
    baseTimestamp: logAppendTime || kept.length === 0 ? header.baseTimestamp : undefined,
    maxTimestamp: header.maxTimestamp,
    compression: header.compression === Compression.gzip ? 'gzip' : 'none',
    timestampType: header.timestampType,
    partitionLeaderEpoch: header.partitionLeaderEpoch,
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
    transactional: header.isTransactional,
  });
}

/**
 * Puts the cleaned file in place of the segment: old index removed first (so a crash before the
 * new one is saved rebuilds it rather than trusting a stale one), atomic rename, new index.
 */
function installCleanedSegment(log: PartitionLog, segment: LogSegment, rewrite: Rewrite): LogSegment {
  const {pool, indexIntervalBytes, logger} = log.cleanerAccess();
  try {
    unlinkSync(segment.indexPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  renameSync(rewrite.tempPath, segment.logPath);
  fsyncDirectory(log.dir);
  rewrite.index.save(segment.indexPath);
  return openSealedSegment(log.dir, segment.baseOffset, indexIntervalBytes, logger, pool);
}
