import {afterEach, describe, expect, it} from 'vitest';
import {BatchField, Compression, encodeRecordBatch, updateBatchCrc} from '../protocol/record-batch.js';
import {openLog, TestDirs} from './log-test-kit.js';
import type {PartitionLog} from './partition-log.js';

const dirs = new TestDirs();
const logs: PartitionLog[] = [];
afterEach(async () => {
  await Promise.all(logs.splice(0).map((log) => log.close()));
  dirs.cleanup();
});

async function newLog(dir = dirs.make(), overrides = {}): Promise<PartitionLog> {
  const log = await openLog(dir, {segmentBytes: 1000, indexIntervalBytes: 150, ...overrides});
  logs.push(log);
  return log;
}

function batchAt(timestamps: number[], compression: 'none' | 'gzip' = 'none'): Buffer {
  return encodeRecordBatch({compression, records: timestamps.map((timestamp, i) => ({key: `k${i}`, value: 'v'.repeat(30), timestamp}))});
}

/** 40 batches of 3 records; record j of batch i has timestamp 1000 * i + 100 * j (offset 3i + j). */
function fillRegular(log: PartitionLog): void {
  for (let i = 0; i < 40; i++) log.append(batchAt([1000 * i, 1000 * i + 100, 1000 * i + 200], i % 2 ? 'gzip' : 'none'), Date.now());
}

describe('offsetForTimestamp', () => {
  it('finds the first record at or after a timestamp, at record level, across segments', async () => {
    const log = await newLog();
    fillRegular(log);
    expect(log.segmentCount).toBeGreaterThan(3);
    expect(log.offsetForTimestamp(-5)).toEqual({offset: 0, timestamp: 0});
    expect(log.offsetForTimestamp(7150)).toEqual({offset: 23, timestamp: 7200});
    expect(log.offsetForTimestamp(7201)).toEqual({offset: 24, timestamp: 8000});
    expect(log.offsetForTimestamp(39_200)).toEqual({offset: 119, timestamp: 39_200});
    expect(log.offsetForTimestamp(39_201)).toBeNull();
    for (let i = 0; i < 40; i++) {
      for (let j = 0; j < 3; j++) {
        const timestamp = 1000 * i + 100 * j;
        expect(log.offsetForTimestamp(timestamp)).toEqual({offset: 3 * i + j, timestamp});
        expect(log.offsetForTimestamp(timestamp - 50)?.offset).toBe(3 * i + j);
      }
    }
  });

  it('works the same after reopen (sealed segments answer from their saved index)', async () => {
    const dir = dirs.make();
    const log = await newLog(dir);
    fillRegular(log);
    await log.close();
    const reopened = await newLog(dir);
    expect(reopened.offsetForTimestamp(25_050)).toEqual({offset: 76, timestamp: 25_100});
    expect(reopened.maxTimestamp()).toEqual({offset: 119, timestamp: 39_200});
  });

  it('ignores records below the log start offset', async () => {
    const log = await newLog();
    fillRegular(log);
    log.deleteRecordsBefore(50);
    expect(log.offsetForTimestamp(0)).toEqual({offset: 50, timestamp: 16_200});
    expect(log.offsetForTimestamp(16_100)).toEqual({offset: 50, timestamp: 16_200});
  });

  it('follows offset order when timestamps inside a batch are not ordered', async () => {
    const log = await newLog();
    log.append(batchAt([5000, 3000, 7000, 4000]), Date.now());
    expect(log.offsetForTimestamp(4000)).toEqual({offset: 0, timestamp: 5000});
    expect(log.offsetForTimestamp(6000)).toEqual({offset: 2, timestamp: 7000});
    expect(log.maxTimestamp()).toEqual({offset: 2, timestamp: 7000});
  });

  it('answers at batch level for LogAppendTime and for codecs it cannot decode', async () => {
    const log = await newLog(undefined, {timestampType: 'LogAppendTime'});
    log.append(batchAt([1, 2, 3]), 50_000);
    log.append(batchAt([1, 2, 3]), 60_000);
    expect(log.offsetForTimestamp(55_000)).toEqual({offset: 3, timestamp: 60_000});

    const zstd = await newLog();
    zstd.append(batchAt([100, 200]), Date.now());
    const opaque = batchAt([300, 400, 500]);
    opaque.writeInt16BE(Compression.zstd, BatchField.attributes); // valid CRC, undecodable body
    updateBatchCrc(opaque);
    zstd.append(opaque, Date.now());
    expect(zstd.offsetForTimestamp(450)).toEqual({offset: 2, timestamp: 500});
  });
});

describe('maxTimestamp', () => {
  it('is null for an empty log and otherwise names the newest record', async () => {
    const log = await newLog();
    expect(log.maxTimestamp()).toBeNull();
    fillRegular(log);
    log.append(batchAt([100_000, 99_000]), Date.now());
    log.append(batchAt([5]), Date.now());
    expect(log.maxTimestamp()).toEqual({offset: 120, timestamp: 100_000});
  });
});
