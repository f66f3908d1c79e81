/**
 * The log cleaner of `cleanup.policy=compact` topics: keeps the latest record per key in the
 * sealed segments (never the active one), so a compacted topic holds about one record per key.
 *
 * Offsets never change. A batch whose records all survive is copied byte for byte; a batch that
 * loses some is re-encoded from its survivors with a new CRC, keeping its base offset, last
 * offset delta and producer fields, each record at its original offset delta (gaps stay), as
 * Kafka does. A batch that loses all is dropped, unless it is an idempotent producer's last.
 * Batches the broker cannot decode (snappy, lz4, zstd) are kept whole, as are control and
 * transactional batches and the log's last batch.
 *
 * Crash safety: each cleaned segment is written to `<base>.log.cleaned.tmp` and fsynced, then
 * the old index is removed and the temp file renamed over the segment (atomic), then the new
 * index is saved. Leftover temp files are deleted when the log opens, a missing index is rebuilt,
 * so a crash at any step leaves either the old or the new segment, never a mix.
 */
import {fsyncSync, renameSync, rmSync, unlinkSync, writeSync} from 'node:fs';
import {
  Compression,
  decodeRecords,
  encodeRecordBatch,
  readBatchHeader,
  type DecodedRecord,
  type RecordBatchHeader,
} from '../protocol/record-batch.js';
import {readBytes, scanBatches} from './batch-scan.js';
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

  const scan = scanLog(log.allSegmentsForCleaner());
  const result: CleanResult = {segmentsRewritten: 0, bytesRead: 0, bytesWritten: 0, recordsRemoved: 0};
  let tombstoneExpiryMs = -1;
  for (const segment of sealed.slice(0, cleanable)) {
    // Each segment is rewritten synchronously; between segments, requests get their turn.
    await new Promise((resolve) => setImmediate(resolve));
    if (log.isClosed) return result;
    if (segment.isDeleted) continue; // retention or DeleteRecords took it meanwhile
    const dropTombstones = segment.largestTimestamp() + config.deleteRetentionMs <= now;
    const rewrite = rewriteSegment(log, segment, scan, dropTombstones, log.logEndOffset - 1);
    result.bytesRead += segment.size;
    if (rewrite.keptTombstones && !dropTombstones) {
      const expiry = segment.largestTimestamp() + config.deleteRetentionMs;
      tombstoneExpiryMs = tombstoneExpiryMs < 0 ? expiry : Math.min(tombstoneExpiryMs, expiry);
    }
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

interface LogScan {
  /** Offset of the newest record of every key (decodable, non-transactional batches). */
  latest: Map<string, number>;
  /** Base offset of each idempotent producer's last batch. */
  lastBatchOfProducer: Map<number, number>;
}

function scanLog(segments: readonly LogSegment[]): LogScan {
  const latest = new Map<string, number>();
  const lastBatchOfProducer = new Map<number, number>();
  for (const segment of segments) {
    forEachBatch(segment, (header, records) => {
      if (header.producerId >= 0) lastBatchOfProducer.set(header.producerId, header.baseOffset);
      if (!records) return;
      for (const record of records) if (record.key) latest.set(record.key.toString('latin1'), record.offset);
    });
  }
  return {latest, lastBatchOfProducer};
}

/**
 * Calls `visit` for every batch of the segment with its bytes and, for batches the cleaner may
 * filter, its decoded records (null: keep the batch whole).
 */
function forEachBatch(segment: LogSegment, visit: (header: RecordBatchHeader, records: DecodedRecord[] | null, bytes: Buffer) => void): void {
  const positions: Array<{position: number; header: RecordBatchHeader}> = [];
  const end = segment.size;
  scanBatches(segment.fileDescriptor(), 0, end, {verifyCrc: false, minBaseOffset: segment.baseOffset}, (position, header) => {
    positions.push({position, header});
  });
  for (const {position, header} of positions) {
    const bytes = readBytes(segment.fileDescriptor(), position, header.sizeInBytes);
    visit(header, filterable(header) ? decodeRecords(bytes, 0) : null, bytes);
  }
}

function filterable(header: RecordBatchHeader): boolean {
  // Transaction markers and transactional data stay whole: dropping aborted transactions' records
  // (and markers whose transaction has no data left) belongs here once the broker has transactions.
  if (header.isControl || header.isTransactional) return false;
  return header.compression === Compression.none || header.compression === Compression.gzip;
}

interface Rewrite {
  tempPath: string;
  size: number;
  index: SparseIndex;
  removed: number;
  keptTombstones: boolean;
}

/** Writes the survivors of `segment` to a temp file (fsynced), with the index they need. */
function rewriteSegment(log: PartitionLog, segment: LogSegment, scan: LogScan, dropTombstones: boolean, lastOffset: number): Rewrite {
  const {latest, lastBatchOfProducer} = scan;
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
  };
  try {
    forEachBatch(segment, (header, records, bytes) => {
      // The log's last batch stays whole, as in Kafka where it sits in the never-cleaned active
      // segment: readers that stop at the end offset need a record at end - 1.
      if (!records || header.lastOffset === lastOffset) return write(bytes, header);
      const kept = records.filter((record) => {
        if (!record.key) return true; // written before the topic became compacted: nothing supersedes it
        if (latest.get(record.key.toString('latin1')) !== record.offset) return false;
        if (record.value !== null) return true;
        if (!dropTombstones) keptTombstones = true;
        return !dropTombstones;
      });
      removed += records.length - kept.length;
      if (kept.length === records.length) return write(bytes, header);
      // An idempotent producer's last batch stays, if only as a header: its sequence lives there.
      if (kept.length === 0 && lastBatchOfProducer.get(header.producerId) !== header.baseOffset) return;
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
  return {tempPath, size, index, removed, keptTombstones};
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
