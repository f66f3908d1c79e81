import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {TestDirs} from './log-test-kit.js';
import {INDEX_ENTRY_BYTES, SEGMENT_START, SparseIndex} from './sparse-index.js';

const dirs = new TestDirs();
afterEach(() => dirs.cleanup());

function sample(): SparseIndex {
  const index = SparseIndex.empty();
  // relative offset, position, max timestamp of everything before
  for (let i = 1; i <= 100; i++) index.add(i * 10, i * 1000, i * 5);
  return index;
}

describe('SparseIndex', () => {
  it('finds the last entry at or before an offset', () => {
    const index = sample();
    expect(index.floorByOffset(5)).toEqual(SEGMENT_START);
    expect(index.floorByOffset(10)).toEqual({relativeOffset: 10, position: 1000, maxTimestampBefore: 5});
    expect(index.floorByOffset(555)).toEqual({relativeOffset: 550, position: 55_000, maxTimestampBefore: 275});
    expect(index.floorByOffset(1e9).relativeOffset).toBe(1000);
  });

  it('finds the last entry before which everything is older than a timestamp', () => {
    const index = sample();
    expect(index.floorByTimestamp(5)).toEqual(SEGMENT_START);
    expect(index.floorByTimestamp(6).position).toBe(1000);
    expect(index.floorByTimestamp(250).position).toBe(49_000);
    expect(index.floorByTimestamp(251).position).toBe(50_000);
  });

  it('saves and loads, and refuses files that cannot belong to the segment', () => {
    const dir = dirs.make();
    const path = join(dir, 'x.index');
    sample().save(path);
    const loaded = SparseIndex.load(path, 200_000);
    expect(loaded?.size).toBe(100);
    expect(loaded?.last()).toEqual({relativeOffset: 1000, position: 100_000, maxTimestampBefore: 500});
    expect(SparseIndex.load(path, 100_000)).toBeNull(); // an entry points past the end
    expect(SparseIndex.load(join(dir, 'missing.index'), 1)).toBeNull();
    const bad = Buffer.alloc(2 * INDEX_ENTRY_BYTES);
    bad.writeUInt32BE(20, 0);
    bad.writeUInt32BE(100, 4);
    bad.writeUInt32BE(10, 16); // offsets going backwards
    bad.writeUInt32BE(200, 20);
    writeFileSync(path, bad);
    expect(SparseIndex.load(path, 1000)).toBeNull();
  });
});
