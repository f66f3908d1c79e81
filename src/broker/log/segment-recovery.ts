/**
 * Bringing segments back when a log opens. The active segment is where a crash can leave a torn
 * or half-written batch, so it is always scanned completely with CRC checks and its index rebuilt.
 * A sealed segment trusts its saved index after a cheap consistency check (the batch at the last
 * entry has the indexed offset and the batches after it end exactly at the end of the file); if
 * that fails or the index is missing, it gets the same full scan and a fresh index.
 */
import {existsSync, fstatSync} from 'node:fs';
import {scanBatches} from './batch-scan.js';
import type {FdPool} from './fd-pool.js';
import {LogSegment} from './log-segment.js';
import {SparseIndex} from './sparse-index.js';

export type Logger = (line: string) => void;

export function recoverActiveSegment(dir: string, baseOffset: number, indexIntervalBytes: number, logger: Logger, pool: FdPool): LogSegment {
  const segment = LogSegment.openExisting(dir, baseOffset, true, pool);
  const stat = fstatSync(segment.fileDescriptor());
  fullScan(segment, stat.size, indexIntervalBytes, logger);
  // segment.ms counts from when the segment was started; birthtime is 0 where unsupported.
  if (!segment.isEmpty) segment.rollBaseTime = stat.birthtimeMs > 0 ? stat.birthtimeMs : stat.mtimeMs;
  return segment;
}

export function openSealedSegment(dir: string, baseOffset: number, indexIntervalBytes: number, logger: Logger, pool: FdPool): LogSegment {
  const segment = LogSegment.openExisting(dir, baseOffset, false, pool);
  const fileSize = fstatSync(segment.fileDescriptor()).size;
  const index = SparseIndex.load(segment.indexPath, fileSize);
  const savedEntries = index?.size ?? 0;
  if (index && tailMatchesIndex(segment, index, fileSize, indexIntervalBytes)) {
    // The walk after the last entry indexes what the saved index lacked (e.g. an emptied file).
    if (segment.index.size > savedEntries) {
      logger(`${segment.name}: index was incomplete, completed it`);
      segment.index.save(segment.indexPath);
    }
    segment.releaseFd();
    return segment;
  }
  logger(`${segment.name}: index ${existsSync(segment.indexPath) ? 'does not match the segment' : 'is missing'}, rebuilding it`);
  fullScan(segment, fileSize, indexIntervalBytes, logger);
  segment.index.save(segment.indexPath);
  segment.releaseFd();
  return segment;
}

function tailMatchesIndex(segment: LogSegment, index: SparseIndex, fileSize: number, indexIntervalBytes: number): boolean {
  const last = index.last();
  segment.adoptIndex(index);
  const expectedOffset = segment.baseOffset + last.relativeOffset;
  let firstChecked = last.position === 0;
  const result = scanBatches(
    segment.fileDescriptor(),
    last.position,
    fileSize,
    {verifyCrc: false, minBaseOffset: expectedOffset},
    (position, header) => {
      if (!firstChecked && header.baseOffset !== expectedOffset) return false;
      firstChecked = true;
      segment.trackHeader(position, header, indexIntervalBytes);
    },
  );
  return !result.stopped && result.problem === null && result.end === fileSize;
}

/** Validates every batch from byte 0, rebuilds the state and index, cuts a bad tail. */
function fullScan(segment: LogSegment, fileSize: number, indexIntervalBytes: number, logger: Logger): void {
  segment.resetState();
  const result = scanBatches(
    segment.fileDescriptor(),
    0,
    fileSize,
    {verifyCrc: true, minBaseOffset: segment.baseOffset},
    (position, header) => segment.trackHeader(position, header, indexIntervalBytes),
  );
  if (result.end < fileSize) {
    logger(
      `${segment.name}: truncated at byte ${result.end}, cut ${fileSize - result.end} bytes (${result.problem ?? 'unknown problem'})`,
    );
    segment.truncateTo(result.end);
  }
}
