/**
 * One segment: a `.log` file of record batches starting at `baseOffset`, plus its in-memory
 * sparse index. Only the active (last) segment is writable. Its file is opened on demand
 * through the broker's FdPool, which may close it again between calls (see fd-pool.ts), so a
 * descriptor is fetched per operation and never kept across calls.
 */
import {ftruncateSync, statSync, truncateSync, unlinkSync, writeSync} from 'node:fs';
import {basename} from 'node:path';
import {
  Compression,
  decodeRecords,
  type DecodedRecord,
  LOG_OVERHEAD,
  RECORD_BATCH_OVERHEAD,
  type RecordBatchHeader,
} from '../protocol/record-batch.js';
import {readBytes, scanBatches} from './batch-scan.js';
import {FdPool, pooledFile, type PooledFile} from './fd-pool.js';
import {segmentPaths} from './segment-files.js';
import {SparseIndex} from './sparse-index.js';

export interface TimestampAndOffset {
  offset: number;
  timestamp: number;
}

/** What the segment needs to know about each appended batch (after offset assignment). */
export interface AppendedBatch {
  /** Byte position of the batch inside the appended buffer. */
  position: number;
  size: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

// Reads that look for one batch inside an index interval need only a small window.
const LOCATE_CHUNK_BYTES = 16 * 1024;

export class LogSegment {
  readonly logPath: string;
  readonly indexPath: string;
  /** Bytes of valid batches; appends go here. */
  size = 0;
  /** One past the last offset stored here (= baseOffset while empty). */
  nextOffset: number;
  /** Largest batch maxTimestamp, -1 while empty or without timestamps. */
  maxTimestamp = -1;
  /** Wall-clock time the segment started to fill, for segment.ms. */
  rollBaseTime = -1;
  index = SparseIndex.empty();
  private bytesSinceIndexEntry = 0;
  private readonly file: PooledFile;
  private deleted = false;

  private constructor(
    readonly baseOffset: number,
    dir: string,
    private readonly pool: FdPool,
    flags: string,
    private writable: boolean,
  ) {
    const paths = segmentPaths(dir, baseOffset);
    this.logPath = paths.log;
    this.indexPath = paths.index;
    this.nextOffset = baseOffset;
    this.file = pooledFile(paths.log, flags);
  }

  /** A new, empty active segment. Fails if the file exists: offsets are never reused. */
  static create(dir: string, baseOffset: number, pool: FdPool): LogSegment {
    const segment = new LogSegment(baseOffset, dir, pool, 'wx+', true);
    pool.fd(segment.file);
    segment.file.flags = 'r+';
    return segment;
  }

  /** An existing file; its state is filled in by recovery (see segment-recovery.ts). */
  static openExisting(dir: string, baseOffset: number, writable: boolean, pool: FdPool): LogSegment {
    const segment = new LogSegment(baseOffset, dir, pool, writable ? 'r+' : 'r', writable);
    pool.fd(segment.file); // fails now, not later, if the file cannot be opened
    return segment;
  }

  get name(): string {
    return basename(this.logPath);
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  get isDeleted(): boolean {
    return this.deleted;
  }

  /** The descriptor, (re)opened on demand; valid until the next call that may open another file. */
  fileDescriptor(): number {
    return this.pool.fd(this.file);
  }

  /** The descriptor, kept open until unpinFd() (for an fsync running in the background). */
  pinFd(): number {
    return this.pool.pin(this.file);
  }

  unpinFd(): void {
    this.pool.unpin(this.file);
  }

  /** Forgets everything known about the content (recovery starts over from byte 0). */
  resetState(): void {
    this.size = 0;
    this.nextOffset = this.baseOffset;
    this.maxTimestamp = -1;
    this.index = SparseIndex.empty();
    this.bytesSinceIndexEntry = 0;
  }

  /** Adopts a loaded index; the batches after its last entry are then tracked by recovery. */
  adoptIndex(index: SparseIndex): void {
    const last = index.last();
    this.index = index;
    this.size = last.position;
    this.nextOffset = this.baseOffset + last.relativeOffset;
    this.maxTimestamp = last.maxTimestampBefore;
    this.bytesSinceIndexEntry = 0;
  }

  /**
   * Accounts for a batch stored at `position`: index entry every `indexIntervalBytes`, offsets,
   * timestamps, size. Used by append and by recovery, so a rebuilt index equals the original.
   */
  trackBatch(position: number, batch: Omit<AppendedBatch, 'position'>, indexIntervalBytes: number): void {
    if (position > 0 && this.bytesSinceIndexEntry >= indexIntervalBytes) {
      this.index.add(batch.baseOffset - this.baseOffset, position, this.maxTimestamp);
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += batch.size;
    this.maxTimestamp = Math.max(this.maxTimestamp, batch.maxTimestamp);
    this.nextOffset = batch.lastOffset + 1;
    this.size = position + batch.size;
  }

  trackHeader(position: number, header: RecordBatchHeader, indexIntervalBytes: number): void {
    this.trackBatch(
      position,
      {size: header.sizeInBytes, baseOffset: header.baseOffset, lastOffset: header.lastOffset, maxTimestamp: header.maxTimestamp},
      indexIntervalBytes,
    );
  }

  /**
   * Writes `bytes` (whole batches, offsets assigned) at the end with writeSync, so the data is in
   * the OS before this returns and survives a process crash. On a write error the partial tail
   * is cut off again and nothing is accounted.
   */
  append(bytes: Buffer, batches: AppendedBatch[], indexIntervalBytes: number, now: number): void {
    if (!this.writable) throw new Error(`segment ${this.name} is sealed`);
    const fd = this.fileDescriptor();
    const start = this.size;
    try {
      let written = 0;
      while (written < bytes.length) {
        written += writeSync(fd, bytes, written, bytes.length - written, start + written);
      }
    } catch (error) {
      try {
        ftruncateSync(fd, start);
      } catch {
        // The write error is the one worth reporting; recovery cuts any torn tail on next open.
      }
      throw error;
    }
    if (this.rollBaseTime < 0) this.rollBaseTime = now;
    for (const batch of batches) this.trackBatch(start + batch.position, batch, indexIntervalBytes);
  }

  /** Position of the first batch whose last offset is >= `offset`, or -1 if there is none here. */
  locate(offset: number): number {
    const from = this.index.floorByOffset(Math.max(0, offset - this.baseOffset));
    let found = -1;
    scanBatches(
      this.fileDescriptor(),
      from.position,
      this.size,
      {verifyCrc: false, minBaseOffset: this.baseOffset, chunkBytes: LOCATE_CHUNK_BYTES},
      (position, header) => {
        if (header.lastOffset < offset) return true;
        found = position;
        return false;
      },
    );
    return found;
  }

  /**
   * Whole batches from `position` up to `maxBytes`; when even the first batch is larger and
   * `atLeastOne` is set, that whole batch. Empty at the end of the segment.
   */
  readBatches(position: number, maxBytes: number, atLeastOne: boolean): Buffer {
    const fd = this.fileDescriptor();
    const available = this.size - position;
    if (available <= 0) return Buffer.alloc(0);
    const want = Math.min(Math.max(maxBytes, 0), available);
    const bytes = want > 0 ? readBytes(fd, position, want) : Buffer.alloc(0);
    let cut = 0;
    while (cut + LOG_OVERHEAD <= bytes.length) {
      const size = LOG_OVERHEAD + bytes.readInt32BE(cut + 8);
      if (cut + size > bytes.length) break;
      cut += size;
    }
    if (cut > 0 || !atLeastOne) return bytes.subarray(0, cut);
    const header = readBytes(fd, position, LOG_OVERHEAD);
    return readBytes(fd, position, LOG_OVERHEAD + header.readInt32BE(8));
  }

  /**
   * First record at or after `minOffset` with timestamp >= `timestamp`: record-level for
   * uncompressed and gzip batches, batch-level (base offset, max timestamp) for other codecs.
   */
  findByTimestamp(timestamp: number, minOffset: number): TimestampAndOffset | null {
    if (this.isEmpty || this.maxTimestamp < timestamp) return null;
    const from = this.index.floorByTimestamp(timestamp);
    let result: TimestampAndOffset | null = null;
    scanBatches(
      this.fileDescriptor(),
      from.position,
      this.size,
      {verifyCrc: false, minBaseOffset: this.baseOffset, chunkBytes: LOCATE_CHUNK_BYTES},
      (position, header) => {
        if (header.lastOffset < minOffset || header.maxTimestamp < timestamp) return true;
        result = this.matchInBatch(position, header, timestamp, minOffset);
        return result === null;
      },
    );
    return result;
  }

  private matchInBatch(
    position: number,
    header: RecordBatchHeader,
    timestamp: number,
    minOffset: number,
  ): TimestampAndOffset | null {
    const batchLevel = {offset: Math.max(header.baseOffset, minOffset), timestamp: header.maxTimestamp};
    const decodable = header.compression === Compression.none || header.compression === Compression.gzip;
    // With LogAppendTime every record carries maxTimestamp, so the batch answers for its records.
    if (header.timestampType === 'LogAppendTime' || !decodable || header.sizeInBytes <= RECORD_BATCH_OVERHEAD) {
      return batchLevel;
    }
    const batch = readBytes(this.fileDescriptor(), position, header.sizeInBytes);
    let records: DecodedRecord[];
    try {
      records = decodeRecords(batch, 0);
    } catch {
      return batchLevel; // the CRC was fine, so a decode failure is a client encoding quirk
    }
    const match = records.find((r) => r.offset >= minOffset && r.timestamp >= timestamp);
    return match ? {offset: match.offset, timestamp: match.timestamp} : null;
  }

  /** Time of the newest data, for retention.ms: max timestamp, else the file's modification time. */
  largestTimestamp(): number {
    return this.maxTimestamp >= 0 ? this.maxTimestamp : statSync(this.logPath).mtimeMs;
  }

  /**
   * Makes the segment read-only and saves its index. Its last writes may not be on disk yet:
   * the owner fsyncs it (through any descriptor of the file) before relying on them.
   */
  seal(): void {
    this.index.save(this.indexPath);
    this.writable = false;
    this.file.flags = 'r';
  }

  /** Closes the descriptor now (it reopens on the next use), e.g. after recovery read a sealed segment. */
  releaseFd(): void {
    this.pool.close(this.file);
  }

  /** Closes the descriptor; the active segment also saves its index (sealed ones did on seal). */
  close(): void {
    if (this.writable && !this.isEmpty) this.index.save(this.indexPath);
    this.pool.close(this.file);
    this.writable = false;
  }

  /** Cuts the file (recovery of a torn or corrupt tail); by path, as sealed segments are read-only. */
  truncateTo(size: number): void {
    truncateSync(this.logPath, size);
  }

  /** Removes both files. */
  delete(): void {
    this.pool.close(this.file);
    this.writable = false;
    this.deleted = true;
    for (const path of [this.logPath, this.indexPath]) {
      try {
        unlinkSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
}
