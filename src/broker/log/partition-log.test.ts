import {existsSync, readdirSync, statSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {ErrorCode, KafkaProtocolError} from '../protocol/errors.js';
import {BatchField, decodeRecords, encodeRecordBatch, iterateBatches, validateBatch, validateBatches} from '../protocol/record-batch.js';
import {batchRanges, makeBatch, openLog, TestDirs} from './log-test-kit.js';
import type {PartitionLog} from './partition-log.js';

const require = createRequire(import.meta.url);
const {RecordBatch} = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (options: Record<string, unknown>) => Promise<{buffer: Buffer}>;
};
const KafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (options: Record<string, unknown>) => unknown;
const decodeWithKafkajs = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  decoder: unknown,
) => Promise<{firstOffset: string; records: Array<{offset: string; value: Buffer}>}>;
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => {canReadInt64: () => boolean};

const dirs = new TestDirs();
const logs: PartitionLog[] = [];
afterEach(async () => {
  await Promise.all(logs.splice(0).map((log) => log.close()));
  dirs.cleanup();
});

async function newLog(...args: Parameters<typeof openLog> extends [string, ...infer Rest] ? Rest : never): Promise<PartitionLog> {
  const log = await openLog(dirs.make(), ...args);
  logs.push(log);
  return log;
}

function expectCode(fn: () => unknown, code: number): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(KafkaProtocolError);
  expect((thrown as KafkaProtocolError).code).toBe(code);
}

/** Appends `batches` batches of `perBatch` records and returns their [base, last] ranges. */
function fill(log: PartitionLog, batches: number, perBatch: number, valueBytes = 40): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < batches; i++) {
    const result = log.append(makeBatch(perBatch, {valueBytes, tag: `b${i}`}), Date.now());
    ranges.push([result.baseOffset, result.lastOffset]);
  }
  return ranges;
}

describe('append and read', () => {
  it('assigns consecutive offsets and reads the stored batches back unchanged', async () => {
    const log = await newLog();
    expect([log.logStartOffset, log.logEndOffset, log.sizeBytes]).toEqual([0, 0, 0]);
    const first = makeBatch(3);
    const second = makeBatch(2);
    expect(log.append(first, Date.now())).toEqual({baseOffset: 0, lastOffset: 2, logAppendTime: -1});
    expect(log.append(second, Date.now())).toEqual({baseOffset: 3, lastOffset: 4, logAppendTime: -1});
    expect(log.logEndOffset).toBe(5);
    expect(log.sizeBytes).toBe(first.length + second.length);
    // append rewrote the base offsets in place; the log holds exactly those bytes.
    expect(log.read(0, 1 << 20)).toEqual(Buffer.concat([first, second]));
    expect(validateBatches(log.read(0, 1 << 20)).map((b) => b.header.baseOffset)).toEqual([0, 3]);
  });

  it('reads from the batch that contains an offset in the middle of it', async () => {
    const log = await newLog();
    fill(log, 3, 5);
    expect(batchRanges(log.read(7, 1 << 20))).toEqual([
      [5, 9],
      [10, 14],
    ]);
    expect(batchRanges(log.read(14, 1 << 20))).toEqual([[10, 14]]);
  });

  it('returns an empty buffer at the log end and OFFSET_OUT_OF_RANGE beyond it or below the start', async () => {
    const log = await newLog();
    expect(log.read(0, 100)).toHaveLength(0);
    fill(log, 1, 2);
    expect(log.read(2, 100)).toHaveLength(0);
    expectCode(() => log.read(3, 100), ErrorCode.OFFSET_OUT_OF_RANGE);
    expectCode(() => log.read(-1, 100), ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  it('returns whole batches up to maxBytes, but always at least one', async () => {
    const log = await newLog();
    fill(log, 4, 2);
    const size = makeBatch(2, {valueBytes: 40, tag: 'b0'}).length;
    expect(batchRanges(log.read(0, size * 2))).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(batchRanges(log.read(0, size * 2 + size - 1))).toHaveLength(2);
    expect(batchRanges(log.read(2, 1))).toEqual([[2, 3]]);
    expect(batchRanges(log.read(2, 0))).toEqual([[2, 3]]);
    expect(log.read(2, 1)).toHaveLength(size);
  });

  it('rolls segments at segmentBytes and reads every offset across them', async () => {
    const log = await newLog({segmentBytes: 2048, indexIntervalBytes: 256});
    const ranges = fill(log, 60, 3, 60);
    expect(log.segmentCount).toBeGreaterThan(5);
    const names = readdirSync(log.dir).filter((n) => n.endsWith('.log')).sort();
    expect(names[0]).toBe('00000000000000000000.log');
    expect(names.every((n) => /^\d{20}\.log$/.test(n))).toBe(true);
    for (const name of names) expect(statSync(join(log.dir, name)).size).toBeLessThanOrEqual(2048);
    // Sealed segments got their index written.
    expect(existsSync(join(log.dir, names[0]!.replace('.log', '.index')))).toBe(true);

    for (let offset = 0; offset < log.logEndOffset; offset++) {
      const [first] = batchRanges(log.read(offset, 1));
      expect(first![0]).toBeLessThanOrEqual(offset);
      expect(first![1]).toBeGreaterThanOrEqual(offset);
    }
    // One large read crosses segment boundaries and returns everything in order.
    expect(batchRanges(log.read(0, 1 << 20))).toEqual(ranges);
    expect(batchRanges(log.read(100, 1 << 20))).toEqual(ranges.filter(([, last]) => last >= 100));
  });

  it('indexes every batch with indexIntervalBytes 0 and still reads correctly', async () => {
    const log = await newLog({indexIntervalBytes: 0});
    const ranges = fill(log, 20, 2);
    for (const [base, last] of ranges) expect(batchRanges(log.read(last, 1))).toEqual([[base, last]]);
  });

  it('stamps LogAppendTime batches with the append time', async () => {
    const log = await newLog({timestampType: 'LogAppendTime'});
    const result = log.append(makeBatch(2, {timestamp: 5}), 1_750_000_000_000);
    expect(result.logAppendTime).toBe(1_750_000_000_000);
    const stored = log.read(0, 1 << 20);
    expect(validateBatch(stored)).toMatchObject({timestampType: 'LogAppendTime', maxTimestamp: 1_750_000_000_000});
    expect(decodeRecords(stored).map((r) => r.timestamp)).toEqual([1_750_000_000_000, 1_750_000_000_000]);
  });

  it('rolls when the active segment is older than segmentMs', async () => {
    const log = await newLog({segmentMs: 1000});
    log.append(makeBatch(1), 10_000);
    log.append(makeBatch(1), 10_999);
    expect(log.segmentCount).toBe(1);
    log.append(makeBatch(1), 11_000);
    expect(log.segmentCount).toBe(2);
  });

  it('applies config changes at runtime', async () => {
    const log = await newLog();
    fill(log, 3, 1);
    expect(log.segmentCount).toBe(1);
    log.updateConfig({segmentBytes: 150}); // one ~112-byte batch per segment
    fill(log, 2, 1);
    expect(log.segmentCount).toBe(3);
    expect(() => log.updateConfig({segmentBytes: 0})).toThrow(RangeError);
  });

  it('stores a batch built by the kafkajs encoder and serves it to the kafkajs decoder with offsets', async () => {
    const log = await newLog();
    fill(log, 1, 4);
    const records = ['a', 'b', 'c'].map((value, i) => KafkajsRecord({offsetDelta: i, timestampDelta: i, key: null, value: Buffer.from(value)}));
    const encoded = await RecordBatch({compression: 1, records, firstTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_000_002, lastOffsetDelta: 2});
    expect(log.append(encoded.buffer, Date.now())).toMatchObject({baseOffset: 4, lastOffset: 6});
    const stored = log.read(5, 1 << 20);
    const decoded = await decodeWithKafkajs(new KafkajsDecoder(stored));
    expect(decoded.firstOffset).toBe('4');
    expect(decoded.records.map((r) => [r.offset, r.value.toString()])).toEqual([
      ['4', 'a'],
      ['5', 'b'],
      ['6', 'c'],
    ]);
  });
});

describe('append validation', () => {
  it('writes nothing when any batch of the request is bad', async () => {
    const log = await newLog();
    fill(log, 1, 1);
    const good = makeBatch(2);
    const bad = makeBatch(2);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    expectCode(() => log.append(Buffer.concat([good, bad]), Date.now()), ErrorCode.CORRUPT_MESSAGE);
    expect([log.logEndOffset, log.sizeBytes]).toEqual([1, makeBatch(1, {valueBytes: 40, tag: 'b0'}).length]);
    // The good batch was not given an offset either.
    expect(good.readBigInt64BE(0)).toBe(0n);
  });

  it('maps the other problems to their Kafka error codes', async () => {
    const log = await newLog({maxMessageBytes: 500, segmentBytes: 2000});
    expectCode(() => log.append(makeBatch(1, {valueBytes: 600}), Date.now()), ErrorCode.MESSAGE_TOO_LARGE);
    const oldMagic = makeBatch(1);
    oldMagic.writeInt8(1, BatchField.magic);
    expectCode(() => log.append(oldMagic, Date.now()), ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT);
    expectCode(() => log.append(makeBatch(1).subarray(0, 50), Date.now()), ErrorCode.CORRUPT_MESSAGE);
    expectCode(() => log.append(Buffer.alloc(0), Date.now()), ErrorCode.INVALID_RECORD);
    const many = Buffer.concat(Array.from({length: 10}, () => makeBatch(1, {valueBytes: 300})));
    expectCode(() => log.append(many, Date.now()), ErrorCode.RECORD_LIST_TOO_LARGE);
    expect(log.logEndOffset).toBe(0);
  });

  it('refuses control batches from clients and accepts them from the broker', async () => {
    const log = await newLog();
    const marker = () =>
      encodeRecordBatch({control: true, transactional: true, producerId: 9, records: [{key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 0])}]});
    expectCode(() => log.append(marker(), Date.now()), ErrorCode.INVALID_RECORD);
    expect(log.append(marker(), Date.now(), {origin: 'broker'}).baseOffset).toBe(0);
    expect([...iterateBatches(log.read(0, 1000))][0]!.header.isControl).toBe(true);
  });
});

describe('reopen', () => {
  it('keeps everything after close and continues the offsets', async () => {
    const dir = dirs.make();
    const lines: string[] = [];
    const log = await openLog(dir, {segmentBytes: 1500, indexIntervalBytes: 200}, lines);
    fill(log, 30, 2);
    const before = {end: log.logEndOffset, size: log.sizeBytes, segments: log.segmentCount, all: log.read(0, 1 << 20)};
    await log.close();
    expect(() => log.read(0, 10)).toThrow(/closed/);

    const reopened = await openLog(dir, {segmentBytes: 1500, indexIntervalBytes: 200}, lines);
    logs.push(reopened);
    expect(lines).toEqual([]);
    expect([reopened.logStartOffset, reopened.logEndOffset, reopened.sizeBytes, reopened.segmentCount]).toEqual([
      0,
      before.end,
      before.size,
      before.segments,
    ]);
    expect(reopened.read(0, 1 << 20)).toEqual(before.all);
    expect(batchRanges(reopened.read(33, 1))[0]).toEqual([32, 33]);
    expect(reopened.append(makeBatch(2), Date.now()).baseOffset).toBe(before.end);
  });

  it('opens a log that was never closed (process crash) with all appended data', async () => {
    const dir = dirs.make();
    const crashed = await openLog(dir, {segmentBytes: 1000});
    const ranges = fill(crashed, 20, 2);
    const reopened = await openLog(dir, {segmentBytes: 1000});
    logs.push(crashed, reopened);
    expect(reopened.logEndOffset).toBe(40);
    expect(batchRanges(reopened.read(0, 1 << 20))).toEqual(ranges);
  });

  it('destroy removes the partition folder', async () => {
    const dir = dirs.make();
    const log = await openLog(dir);
    fill(log, 2, 2);
    await log.destroy();
    expect(existsSync(dir)).toBe(false);
  });
});
