import {appendFileSync, existsSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {setBaseOffset} from '../protocol/record-batch.js';
import {batchRanges, makeBatch, openLog, TestDirs} from './log-test-kit.js';
import type {PartitionLog} from './partition-log.js';

const dirs = new TestDirs();
const logs: PartitionLog[] = [];
afterEach(async () => {
  await Promise.all(logs.splice(0).map((log) => log.close()));
  dirs.cleanup();
});

const CONFIG = {segmentBytes: 1500, indexIntervalBytes: 200};

/** A closed log folder holding `batches` batches of 2 records; returns its dir and the batch ranges. */
async function closedLog(batches: number): Promise<{dir: string; ranges: Array<[number, number]>; endOffset: number}> {
  const dir = dirs.make();
  const log = await openLog(dir, CONFIG);
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < batches; i++) {
    const {baseOffset, lastOffset} = log.append(makeBatch(2, {valueBytes: 40, tag: `b${i}`}), Date.now());
    ranges.push([baseOffset, lastOffset]);
  }
  const endOffset = log.logEndOffset;
  await log.close();
  return {dir, ranges, endOffset};
}

async function reopen(dir: string, lines: string[]): Promise<PartitionLog> {
  const log = await openLog(dir, CONFIG, lines);
  logs.push(log);
  return log;
}

function segmentFiles(dir: string, suffix = '.log'): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => join(dir, name));
}

describe('crash recovery on open', () => {
  it('cuts garbage at the end of the active segment, says so, and serves the valid part', async () => {
    const {dir, ranges, endOffset} = await closedLog(5);
    const [active] = segmentFiles(dir).slice(-1);
    const validSize = statSync(active!).size;
    appendFileSync(active!, Buffer.alloc(100, 0xab));

    const lines: string[] = [];
    const log = await reopen(dir, lines);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`00000000000000000000\\.log: truncated at byte ${validSize}, cut 100 bytes \\(.+\\)`))]);
    expect(statSync(active!).size).toBe(validSize);
    expect(log.logEndOffset).toBe(endOffset);
    expect(batchRanges(log.read(0, 1 << 20))).toEqual(ranges);
    expect(log.append(makeBatch(1), Date.now()).baseOffset).toBe(endOffset);
  });

  it('cuts a torn last batch (partial write)', async () => {
    const {dir, ranges, endOffset} = await closedLog(4);
    const [active] = segmentFiles(dir).slice(-1);
    const validSize = statSync(active!).size;
    const next = makeBatch(3, {valueBytes: 100});
    setBaseOffset(next, 0, endOffset);
    appendFileSync(active!, next.subarray(0, Math.floor(next.length * 0.6)));

    const lines: string[] = [];
    const log = await reopen(dir, lines);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/truncated at byte \d+, cut \d+ bytes \(batch of \d+ bytes but only \d+ bytes left\)/);
    expect(statSync(active!).size).toBe(validSize);
    expect(batchRanges(log.read(0, 1 << 20))).toEqual(ranges);
    expect(log.append(makeBatch(1), Date.now()).baseOffset).toBe(endOffset);
  });

  it('cuts from the first batch whose CRC does not match', async () => {
    const {dir, ranges} = await closedLog(5);
    const [active] = segmentFiles(dir);
    const bytes = readFileSync(active!);
    const batchSize = bytes.length / 5;
    bytes[2 * batchSize + 70] = bytes[2 * batchSize + 70]! ^ 0x01; // inside the third batch's records
    writeFileSync(active!, bytes);

    const lines: string[] = [];
    const log = await reopen(dir, lines);
    expect(lines[0]).toMatch(new RegExp(`truncated at byte ${2 * batchSize}, cut ${3 * batchSize} bytes \\(CRC mismatch`));
    expect(log.logEndOffset).toBe(4);
    expect(batchRanges(log.read(0, 1 << 20))).toEqual(ranges.slice(0, 2));
  });

  it('opens an active segment that is empty or cut inside its first header', async () => {
    const {dir} = await closedLog(1);
    const [active] = segmentFiles(dir);
    truncateSync(active!, 10);
    const lines: string[] = [];
    const log = await reopen(dir, lines);
    expect(lines[0]).toMatch(/truncated at byte 0, cut 10 bytes/);
    expect([log.logStartOffset, log.logEndOffset, log.sizeBytes]).toEqual([0, 0, 0]);
    expect(log.read(0, 100)).toHaveLength(0);
    expect(log.append(makeBatch(2), Date.now()).baseOffset).toBe(0);
  });

  it('rebuilds a missing sealed-segment index to the same bytes', async () => {
    const {dir, ranges} = await closedLog(40);
    const indexes = segmentFiles(dir, '.index');
    expect(indexes.length).toBeGreaterThan(2);
    const original = readFileSync(indexes[0]!);
    expect(original.length % 16).toBe(0);
    expect(original.length).toBeGreaterThan(0);
    const [missing, invalid, emptied] = indexes as [string, string, string];
    const originals = [missing, invalid, emptied].map((path) => readFileSync(path));
    unlinkSync(missing);
    writeFileSync(invalid, Buffer.alloc(13, 0xff)); // not even whole entries
    truncateSync(emptied, 0);

    const lines: string[] = [];
    const log = await reopen(dir, lines);
    const name = (path: string) => path.slice(-26, -6);
    expect(lines).toEqual([
      `${name(missing)}.log: index is missing, rebuilding it`,
      `${name(invalid)}.log: index does not match the segment, rebuilding it`,
      `${name(emptied)}.log: index was incomplete, completed it`,
    ]);
    expect([missing, invalid, emptied].map((path) => readFileSync(path))).toEqual(originals);
    expect(batchRanges(log.read(0, 1 << 20))).toEqual(ranges);
    for (const [base, last] of ranges) expect(batchRanges(log.read(last, 1))).toEqual([[base, last]]);
  });

  it('detects a torn tail in a sealed segment through its index and cuts it', async () => {
    const {dir, ranges} = await closedLog(40);
    const [first, second] = segmentFiles(dir);
    const firstSize = statSync(first!).size;
    appendFileSync(first!, Buffer.alloc(30, 0x02));

    const lines: string[] = [];
    const log = await reopen(dir, lines);
    expect(lines).toEqual([
      expect.stringMatching(/00000000000000000000\.log: index does not match the segment, rebuilding it/),
      expect.stringMatching(new RegExp(`00000000000000000000\\.log: truncated at byte ${firstSize}, cut 30 bytes`)),
    ]);
    expect(statSync(first!).size).toBe(firstSize);
    expect(existsSync(second!)).toBe(true);
    expect(batchRanges(log.read(0, 1 << 20))).toEqual(ranges);
  });

  it('removes leftovers: temp files, orphan indexes, segments below the checkpoint', async () => {
    const {dir, ranges} = await closedLog(40);
    const segments = segmentFiles(dir);
    const secondBase = Number(segments[1]!.slice(-24, -4));
    writeFileSync(join(dir, 'log-start-offset'), `${secondBase}\n`);
    writeFileSync(join(dir, 'log-start-offset.tmp'), 'half');
    writeFileSync(join(dir, '00000000000000099999.index'), Buffer.alloc(16));

    const lines: string[] = [];
    const log = await reopen(dir, lines);
    expect(existsSync(segments[0]!)).toBe(false);
    expect(existsSync(join(dir, 'log-start-offset.tmp'))).toBe(false);
    expect(existsSync(join(dir, '00000000000000099999.index'))).toBe(false);
    expect(log.logStartOffset).toBe(secondBase);
    expect(batchRanges(log.read(secondBase, 1 << 20))).toEqual(ranges.filter(([base]) => base >= secondBase));
  });
});
