/**
 * Sequential walks over the record batches of a segment file, for recovery, index rebuilds and
 * finding the batch that holds an offset. Reads go through a window of `chunkBytes` so a walk
 * over many small batches costs a few large reads rather than one read per header.
 */
import {readSync} from 'node:fs';
import {
  BatchField,
  inspectBatch,
  isBatchProblem,
  LOG_OVERHEAD,
  MAGIC_V2,
  readBatchHeader,
  RECORD_BATCH_OVERHEAD,
  type RecordBatchHeader,
} from '../protocol/record-batch.js';

/** Reads exactly `length` bytes at `position` into `target` (readSync may return fewer). */
export function readFully(fd: number, target: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, target, done, length - done, position + done);
    if (n === 0) throw new Error(`segment file ended at byte ${position + done}, expected ${length - done} more bytes`);
    done += n;
  }
}

export function readBytes(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  readFully(fd, buf, length, position);
  return buf;
}

/** A window over `fd[0, end)` that rereads only when a request falls outside what it holds. */
class FileWindow {
  private buf: Buffer;
  private start = 0;
  private length = 0;

  constructor(
    private readonly fd: number,
    private readonly end: number,
    chunkBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** Bytes [pos, pos + len); valid until the next call. The caller checks pos + len <= end. */
  view(pos: number, len: number): Buffer {
    if (pos < this.start || pos + len > this.start + this.length) {
      if (len > this.buf.length) this.buf = Buffer.allocUnsafe(len);
      this.length = Math.min(this.buf.length, this.end - pos);
      this.start = pos;
      readFully(this.fd, this.buf, this.length, pos);
    }
    return this.buf.subarray(pos - this.start, pos - this.start + len);
  }
}

export interface ScanOptions {
  /** Also check CRCs (reads every byte); otherwise only headers are read. */
  verifyCrc: boolean;
  /** The first batch may not start below this offset (the segment's base offset). */
  minBaseOffset: number;
  chunkBytes?: number;
}

export interface ScanResult {
  /** Position after the last good batch, or of the batch where `visit` stopped. */
  end: number;
  /** What is wrong with the bytes at `end`, when the walk stopped on bad data. */
  problem: string | null;
  /** `visit` asked to stop. */
  stopped: boolean;
}

/**
 * Walks batches in `fd[start, end)`, calling `visit` for each good one until it returns false.
 * Stops at the first torn or invalid batch (offsets going backwards count as invalid).
 */
export function scanBatches(
  fd: number,
  start: number,
  end: number,
  options: ScanOptions,
  visit: (position: number, header: RecordBatchHeader) => boolean | void,
): ScanResult {
  const window = new FileWindow(fd, end, options.chunkBytes ?? 1024 * 1024);
  let minBaseOffset = options.minBaseOffset;
  let pos = start;
  const stop = (problem: string): ScanResult => ({end: pos, problem, stopped: false});
  while (pos < end) {
    if (end - pos < RECORD_BATCH_OVERHEAD) return stop(`${end - pos} bytes left, less than a batch header`);
    const head = window.view(pos, RECORD_BATCH_OVERHEAD);
    const magic = head.readInt8(BatchField.magic);
    if (magic !== MAGIC_V2) return stop(`magic byte ${magic} is not 2`);
    const header = readBatchHeader(head, 0);
    if (header.batchLength < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) {
      return stop(`batch length ${header.batchLength} is too small`);
    }
    if (header.sizeInBytes > end - pos) return stop(`batch of ${header.sizeInBytes} bytes but only ${end - pos} bytes left`);
    if (header.baseOffset < minBaseOffset || header.lastOffsetDelta < 0) {
      return stop(`batch offsets ${header.baseOffset}..${header.lastOffset} go below ${minBaseOffset}`);
    }
    if (options.verifyCrc) {
      const whole = window.view(pos, header.sizeInBytes);
      const checked = inspectBatch(whole, 0, whole.length, 'broker');
      if (isBatchProblem(checked)) return stop(checked.reason);
    }
    if (visit(pos, header) === false) return {end: pos, problem: null, stopped: true};
    minBaseOffset = header.lastOffset + 1;
    pos += header.sizeInBytes;
  }
  return {end: pos, problem: null, stopped: false};
}
