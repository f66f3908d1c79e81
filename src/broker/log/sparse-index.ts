/**
 * Sparse index of one segment, kept in memory and saved as `<base>.index` when the segment is
 * sealed. One 16-byte entry per `indexIntervalBytes` of batches:
 *   relativeOffset uint32 (batch base offset - segment base offset) | position uint32 (byte in .log)
 *   maxTimestampBefore int64 (largest batch maxTimestamp before this position, -1 if none)
 * The first offset column serves reads by offset; the running max timestamp serves timestamp
 * lookups (everything before an entry whose maxTimestampBefore < T is older than T), so one file
 * replaces Kafka's separate offset and time indexes. The segment start (position 0) is implicit.
 */
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {readInt64, writeInt64} from '../protocol/record-batch.js';
import {TEMP_SUFFIX} from './segment-files.js';

export const INDEX_ENTRY_BYTES = 16;

export interface IndexEntry {
  relativeOffset: number;
  position: number;
  maxTimestampBefore: number;
}

/** What a lookup that finds no entry starts from: the beginning of the segment. */
export const SEGMENT_START: IndexEntry = Object.freeze({relativeOffset: 0, position: 0, maxTimestampBefore: -1});

export class SparseIndex {
  private bytes: Buffer;
  private count: number;

  private constructor(bytes: Buffer, count: number) {
    this.bytes = bytes;
    this.count = count;
  }

  static empty(): SparseIndex {
    return new SparseIndex(Buffer.alloc(64 * INDEX_ENTRY_BYTES), 0);
  }

  /**
   * Loads a saved index, or returns null when it is absent or cannot be right for a segment of
   * `segmentSize` bytes (partial entry, offsets or positions not increasing, position past the end).
   */
  static load(path: string, segmentSize: number): SparseIndex | null {
    if (!existsSync(path)) return null;
    const bytes = readFileSync(path);
    if (bytes.length % INDEX_ENTRY_BYTES !== 0) return null;
    const index = new SparseIndex(bytes, bytes.length / INDEX_ENTRY_BYTES);
    let previous = SEGMENT_START;
    for (let i = 0; i < index.count; i++) {
      const entry = index.entry(i);
      const ordered =
        entry.relativeOffset > previous.relativeOffset &&
        entry.position > previous.position &&
        entry.maxTimestampBefore >= previous.maxTimestampBefore;
      if (!ordered || entry.position >= segmentSize) return null;
      previous = entry;
    }
    return index;
  }

  /** Written to a temp file then renamed, so a crash leaves either the old state or the new file. */
  save(path: string): void {
    const temp = path + TEMP_SUFFIX;
    writeFileSync(temp, this.bytes.subarray(0, this.count * INDEX_ENTRY_BYTES));
    renameSync(temp, path);
  }

  get size(): number {
    return this.count;
  }

  add(relativeOffset: number, position: number, maxTimestampBefore: number): void {
    if ((this.count + 1) * INDEX_ENTRY_BYTES > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2 + INDEX_ENTRY_BYTES);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    const at = this.count * INDEX_ENTRY_BYTES;
    this.bytes.writeUInt32BE(relativeOffset, at);
    this.bytes.writeUInt32BE(position, at + 4);
    writeInt64(this.bytes, at + 8, maxTimestampBefore);
    this.count++;
  }

  entry(i: number): IndexEntry {
    const at = i * INDEX_ENTRY_BYTES;
    return {
      relativeOffset: this.bytes.readUInt32BE(at),
      position: this.bytes.readUInt32BE(at + 4),
      maxTimestampBefore: readInt64(this.bytes, at + 8),
    };
  }

  last(): IndexEntry {
    return this.count === 0 ? SEGMENT_START : this.entry(this.count - 1);
  }

  /** The last entry at or before `relativeOffset`: where a scan for that offset may start. */
  floorByOffset(relativeOffset: number): IndexEntry {
    return this.lastWhere((at) => this.bytes.readUInt32BE(at) <= relativeOffset);
  }

  /** The last entry before which every batch is older than `timestamp`. */
  floorByTimestamp(timestamp: number): IndexEntry {
    return this.lastWhere((at) => readInt64(this.bytes, at + 8) < timestamp);
  }

  /** Binary search for the last entry matching a predicate that holds for a prefix of entries. */
  private lastWhere(matches: (at: number) => boolean): IndexEntry {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (matches(mid * INDEX_ENTRY_BYTES)) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? SEGMENT_START : this.entry(found);
  }
}
