/**
 * The log of one partition: a folder of segments (see segment-files.ts for the layout).
 * Record batches are stored exactly as clients sent them, with only the base offset (and for
 * LogAppendTime the timestamps) rewritten in place; nothing decodes records on append or read.
 *
 * Single-threaded by design: the broker's state loop owns the log, every method except flush()
 * and close() is synchronous, so appends and reads never interleave.
 */
import {fsync, rmSync} from 'node:fs';
import {mkdir, rm} from 'node:fs/promises';
import {ErrorCode, KafkaProtocolError} from '../protocol/errors.js';
import {setBaseOffset, setLogAppendTime, validateBatches, type BatchOrigin} from '../protocol/record-batch.js';
import {FdPool} from './fd-pool.js';
import {GroupCommit} from './group-commit.js';
import {checkLogConfig, type LogConfig} from './log-config.js';
import {LogSegment, type AppendedBatch, type TimestampAndOffset} from './log-segment.js';
import {fsyncDirectory, readLogStartOffset, writeLogStartOffset} from './log-start-checkpoint.js';
import {listPartitionDir} from './segment-files.js';
import {openSealedSegment, recoverActiveSegment, type Logger} from './segment-recovery.js';

export type {LogConfig} from './log-config.js';
export type {TimestampAndOffset} from './log-segment.js';
export type {Logger} from './segment-recovery.js';

export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
  /** The stamped time for LogAppendTime topics, -1 for CreateTime. */
  logAppendTime: number;
}

export interface AppendOptions {
  /** 'broker' lets the broker itself write control batches (transaction markers). */
  origin?: BatchOrigin;
}

// Relative offsets in the index are 32-bit, so a segment spans at most this many offsets (as Kafka).
const MAX_RELATIVE_OFFSET = 0x7fffffff;
// Open files of a log opened on its own (tests, tools); a broker passes its shared pool.
const STANDALONE_OPEN_FILES = 8;

export class PartitionLog {
  private segments: LogSegment[];
  private startOffset: number;
  private config: LogConfig;
  private readonly commit: GroupCommit;
  /** Segments sealed since the last fsync round whose last writes may not be on disk (fsync 'always'). */
  private unsynced: LogSegment[] = [];
  private dirDirty = false;
  private closing: Promise<void> | null = null;

  private constructor(
    readonly dir: string,
    config: LogConfig,
    private readonly logger: Logger,
    private readonly pool: FdPool,
    segments: LogSegment[],
    startOffset: number,
    onFsync?: (seconds: number) => void,
  ) {
    this.commit = new GroupCommit(() => this.syncRound(), onFsync);
    this.config = config;
    this.segments = segments;
    this.startOffset = startOffset;
  }

  /** Opens the log in `dir`, creating it if needed, recovering it after a crash. `onFsync` is told each fsync round's duration. */
  static async open(dir: string, config: LogConfig, logger: Logger, pool = new FdPool(STANDALONE_OPEN_FILES), onFsync?: (seconds: number) => void): Promise<PartitionLog> {
    checkLogConfig(config);
    await mkdir(dir, {recursive: true});
    const listing = listPartitionDir(dir);
    for (const stray of listing.strayFiles) rmSync(stray, {force: true});
    const checkpoint = readLogStartOffset(dir);
    const bases = listing.segmentBaseOffsets;
    // Segments wholly below the checkpoint were being deleted when the process stopped.
    while (checkpoint !== null && bases.length > 1 && bases[1]! <= checkpoint) {
      const base = bases.shift()!;
      logger(`deleting segment at ${base}, below the log start offset ${checkpoint}`);
      LogSegment.openExisting(dir, base, false, pool).delete();
    }
    const segments =
      bases.length === 0
        ? [LogSegment.create(dir, checkpoint ?? 0, pool)]
        : bases.map((base, i) =>
            i === bases.length - 1
              ? recoverActiveSegment(dir, base, config.indexIntervalBytes, logger, pool)
              : openSealedSegment(dir, base, config.indexIntervalBytes, logger, pool),
          );
    const firstBase = segments[0]!.baseOffset;
    const logEnd = segments[segments.length - 1]!.nextOffset;
    let startOffset = Math.max(checkpoint ?? firstBase, firstBase);
    if (startOffset > logEnd) {
      logger(`log start offset ${startOffset} is beyond the recovered log end ${logEnd}; using ${logEnd}`);
      startOffset = logEnd;
    }
    return new PartitionLog(dir, {...config}, logger, pool, segments, startOffset, onFsync);
  }

  get logStartOffset(): number {
    return this.startOffset;
  }

  /** The next offset to be assigned; on a single node also the high watermark. */
  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  get sizeBytes(): number {
    return this.segments.reduce((sum, segment) => sum + segment.size, 0);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** fsync rounds so far (one round fsyncs all dirty files once), to observe group commit. */
  get fsyncRounds(): number {
    return this.commit.rounds;
  }

  get currentConfig(): Readonly<LogConfig> {
    return this.config;
  }

  private get active(): LogSegment {
    return this.segments[this.segments.length - 1]!;
  }

  /**
   * Validates every batch (size, magic, CRC, offsets vs count, no control batches from clients)
   * before writing anything, assigns offsets by rewriting `records` in place, and writes it to
   * the OS synchronously. Durability on disk is flush()'s job.
   */
  append(records: Buffer, now: number, options: AppendOptions = {}): AppendResult {
    this.assertOpen();
    if (records.length === 0) throw new KafkaProtocolError(ErrorCode.INVALID_RECORD, 'no record batch to append');
    const batches = validateBatches(records, options.origin ?? 'client');
    for (const {header} of batches) {
      if (header.sizeInBytes > this.config.maxMessageBytes) {
        throw new KafkaProtocolError(
          ErrorCode.MESSAGE_TOO_LARGE,
          `record batch of ${header.sizeInBytes} bytes exceeds max.message.bytes ${this.config.maxMessageBytes}`,
        );
      }
    }
    if (records.length > this.config.segmentBytes) {
      throw new KafkaProtocolError(
        ErrorCode.RECORD_LIST_TOO_LARGE,
        `${records.length} bytes of batches exceed segment.bytes ${this.config.segmentBytes}`,
      );
    }
    const offsetCount = batches.reduce((sum, {header}) => sum + header.lastOffsetDelta + 1, 0);
    this.maybeRoll(records.length, offsetCount, now);

    const baseOffset = this.logEndOffset;
    const logAppendTime = this.config.timestampType === 'LogAppendTime' ? now : -1;
    const appended: AppendedBatch[] = [];
    let next = baseOffset;
    for (const {position, header} of batches) {
      setBaseOffset(records, position, next);
      if (logAppendTime >= 0) setLogAppendTime(records, position, logAppendTime);
      const lastOffset = next + header.lastOffsetDelta;
      appended.push({
        position,
        size: header.sizeInBytes,
        baseOffset: next,
        lastOffset,
        maxTimestamp: logAppendTime >= 0 ? logAppendTime : header.maxTimestamp,
      });
      next = lastOffset + 1;
    }
    this.active.append(records, appended, this.config.indexIntervalBytes, now);
    this.commit.markWritten();
    return {baseOffset, lastOffset: next - 1, logAppendTime};
  }

  private maybeRoll(bytes: number, offsetCount: number, now: number): void {
    const active = this.active;
    if (active.isEmpty) return;
    const full = active.size + bytes > this.config.segmentBytes;
    const old = now - active.rollBaseTime >= this.config.segmentMs;
    const offsetsOverflow = active.nextOffset + offsetCount - 1 - active.baseOffset > MAX_RELATIVE_OFFSET;
    if (full || old || offsetsOverflow) this.roll();
  }

  /** Seals the active segment and starts a new one at the log end offset. */
  private roll(): void {
    const sealed = this.active;
    sealed.seal();
    // Its last writes may not be on disk yet: the next fsync round syncs it.
    if (this.config.fsync === 'always') this.unsynced.push(sealed);
    this.segments.push(LogSegment.create(this.dir, sealed.nextOffset, this.pool));
    this.dirDirty = true;
  }

  /**
   * Whole batches from the one containing `offset`, up to `maxBytes` but at least one batch,
   * continuing into later segments. Empty at the log end.
   */
  read(offset: number, maxBytes: number): Buffer {
    this.assertOpen();
    if (offset < this.startOffset || offset > this.logEndOffset) {
      throw new KafkaProtocolError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `offset ${offset} is outside the log range ${this.startOffset}..${this.logEndOffset}`,
      );
    }
    if (offset === this.logEndOffset) return Buffer.alloc(0);
    const parts: Buffer[] = [];
    let remaining = maxBytes;
    for (let i = this.segmentIndexFor(offset); i < this.segments.length && (remaining > 0 || parts.length === 0); i++) {
      const segment = this.segments[i]!;
      const position = parts.length === 0 ? segment.locate(offset) : 0;
      if (position < 0) continue; // the offset lies in a gap after this segment's last batch
      const bytes = segment.readBatches(position, remaining, parts.length === 0);
      if (bytes.length > 0) parts.push(bytes);
      remaining -= bytes.length;
      if (position + bytes.length < segment.size) break; // the next batch did not fit
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** First record at or after the log start offset with a timestamp >= `timestamp`, or null. */
  offsetForTimestamp(timestamp: number): TimestampAndOffset | null {
    this.assertOpen();
    for (let i = this.segmentIndexFor(this.startOffset); i < this.segments.length; i++) {
      const segment = this.segments[i]!;
      if (segment.isEmpty || segment.maxTimestamp < timestamp) continue;
      const found = segment.findByTimestamp(timestamp, this.startOffset);
      if (found) return found;
    }
    return null;
  }

  /** The record with the largest timestamp (ListOffsets -3), or null for an empty log. */
  maxTimestamp(): TimestampAndOffset | null {
    this.assertOpen();
    const candidates = this.segments
      .slice(this.segmentIndexFor(this.startOffset))
      .filter((segment) => !segment.isEmpty && segment.nextOffset > this.startOffset)
      .sort((a, b) => b.maxTimestamp - a.maxTimestamp);
    for (const segment of candidates) {
      const found = segment.findByTimestamp(segment.maxTimestamp, this.startOffset);
      if (found) return found;
    }
    return null;
  }

  /** DeleteRecords: moves the log start offset up to `offset` and drops segments wholly below it. */
  deleteRecordsBefore(offset: number): void {
    this.assertOpen();
    if (offset > this.logEndOffset) {
      throw new KafkaProtocolError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `cannot delete records before ${offset}: the log ends at ${this.logEndOffset}`,
      );
    }
    if (offset <= this.startOffset) return;
    // Deleting everything: start a fresh segment so the old active one can go too.
    if (offset === this.logEndOffset && !this.active.isEmpty) this.roll();
    this.advanceLogStart(offset);
  }

  /**
   * Deletes the oldest sealed segments whose newest data is older than retention.ms, then more
   * while the log stays above retention.bytes. The active segment always stays.
   */
  enforceRetention(now: number): void {
    this.assertOpen();
    const {retentionMs, retentionBytes} = this.config;
    const lastSealed = this.segments.length - 1;
    let drop = 0;
    let reason = '';
    if (retentionMs >= 0) {
      while (drop < lastSealed && now - this.segments[drop]!.largestTimestamp() > retentionMs) drop++;
      if (drop > 0) reason = `older than retention.ms ${retentionMs}`;
    }
    if (retentionBytes >= 0) {
      let excess = this.sizeBytes - retentionBytes;
      for (let i = 0; i < drop; i++) excess -= this.segments[i]!.size;
      const before = drop;
      while (drop < lastSealed && excess >= this.segments[drop]!.size) excess -= this.segments[drop++]!.size;
      if (drop > before) reason = [reason, `over retention.bytes ${retentionBytes}`].filter(Boolean).join(', ');
    }
    if (drop === 0) return;
    const newStart = Math.max(this.startOffset, this.segments[drop]!.baseOffset);
    this.logger(`retention: deleting ${drop} segment(s) below offset ${newStart} (${reason})`);
    this.advanceLogStart(newStart);
  }

  /** segment.ms without appends: rolls an old active segment so the cleaner can reach its records. */
  rollIfExpired(now: number): void {
    this.assertOpen();
    const active = this.active;
    if (!active.isEmpty && now - active.rollBaseTime >= this.config.segmentMs) this.roll();
  }

  // Hooks for the log cleaner (cleaner.ts), which works on sealed segments only.

  get isClosed(): boolean {
    return this.closing !== null;
  }

  sealedSegmentsForCleaner(): readonly LogSegment[] {
    return this.segments.slice(0, -1);
  }

  allSegmentsForCleaner(): readonly LogSegment[] {
    return [...this.segments];
  }

  activeBaseOffsetForCleaner(): number {
    return this.active.baseOffset;
  }

  cleanerAccess(): {pool: FdPool; indexIntervalBytes: number; logger: Logger} {
    return {pool: this.pool, indexIntervalBytes: this.config.indexIntervalBytes, logger: this.logger};
  }

  /**
   * Replaces a sealed segment by the one `install` puts in its place (files included); false,
   * and nothing done, when the segment is no longer part of the log.
   */
  replaceSealedSegment(old: LogSegment, install: () => LogSegment): boolean {
    const at = this.segments.indexOf(old);
    if (this.closing || old.isDeleted || at < 0 || at === this.segments.length - 1) return false;
    old.close();
    this.segments[at] = install();
    return true;
  }

  /** Persists the new start offset first, then deletes the segments it makes unreachable. */
  private advanceLogStart(newStart: number): void {
    this.startOffset = Math.max(this.startOffset, newStart);
    writeLogStartOffset(this.dir, this.startOffset);
    while (this.segments.length > 1 && this.segments[1]!.baseOffset <= this.startOffset) {
      this.segments.shift()!.delete();
    }
  }

  /**
   * Makes everything appended so far durable (fsync 'always'); concurrent callers share rounds.
   * With fsync 'never' it resolves at once.
   */
  flush(): Promise<void> {
    if (this.config.fsync === 'never') return Promise.resolve();
    // close() makes everything durable; late callers wait for that instead of touching closed files.
    if (this.closing) return this.closing;
    return this.commit.flush();
  }

  private async syncRound(): Promise<void> {
    // Segments deleted meanwhile (retention) need no sync.
    const sealed = this.unsynced.filter((segment) => !segment.isDeleted);
    this.unsynced = [];
    const syncDir = this.dirDirty;
    this.dirDirty = false;
    const segments = [...sealed, this.active];
    // Pinned, so the pool does not close a descriptor while its fsync runs.
    const fds: number[] = [];
    try {
      for (const segment of segments) fds.push(segment.pinFd());
      await Promise.all(fds.map(fsyncAsync));
      if (syncDir) fsyncDirectory(this.dir);
    } catch (error) {
      this.unsynced.unshift(...sealed);
      this.dirDirty ||= syncDir;
      throw error;
    } finally {
      for (const segment of segments.slice(0, fds.length)) segment.unpinFd();
    }
  }

  /** Settings that may change at runtime (retention, segment size and age, fsync, ...). */
  updateConfig(partial: Partial<LogConfig>): void {
    const merged = {...this.config, ...partial};
    checkLogConfig(merged);
    this.config = merged;
  }

  /** Waits for running fsyncs (and with fsync 'always' makes everything durable), then closes. */
  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    try {
      if (this.config.fsync === 'always') await this.commit.flush();
    } finally {
      await this.commit.idle();
      this.unsynced = [];
      for (const segment of this.segments) segment.close();
    }
  }

  /** Closes the log and removes its folder (topic deletion). */
  async destroy(): Promise<void> {
    await this.close();
    await rm(this.dir, {recursive: true, force: true});
  }

  private assertOpen(): void {
    if (this.closing) throw new Error(`partition log ${this.dir} is closed`);
  }

  /** Index of the last segment whose base offset is <= `offset` (the first one if none is). */
  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
}
