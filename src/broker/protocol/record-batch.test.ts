import {createRequire} from 'node:module';
import {describe, expect, it} from 'vitest';
import {ErrorCode, KafkaProtocolError} from './errors.js';
import {
  BatchField,
  Compression,
  decodeRecords,
  encodeRecordBatch,
  iterateBatches,
  readBatchHeader,
  readInt64,
  setBaseOffset,
  setLogAppendTime,
  updateBatchCrc,
  validateBatch,
  validateBatches,
  writeInt64,
} from './record-batch.js';

const require = createRequire(import.meta.url);

interface KafkajsEncoder {
  buffer: Buffer;
}
interface KafkajsRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}
const {RecordBatch} = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (options: Record<string, unknown>) => Promise<KafkajsEncoder>;
};
const KafkajsRecordEncoder = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (
  options: Record<string, unknown>,
) => KafkajsEncoder;
const decodeWithKafkajs = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  decoder: unknown,
) => Promise<{firstOffset: string; timestampType: number; maxTimestamp: string; records: KafkajsRecord[]}>;
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;

function expectProtocolError(fn: () => unknown, code: number): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KafkaProtocolError);
    expect((error as KafkaProtocolError).code).toBe(code);
    return;
  }
  expect.fail(`expected a KafkaProtocolError with code ${code}`);
}

const sample = () =>
  encodeRecordBatch({
    baseTimestamp: 1_700_000_000_000,
    producerId: 42,
    producerEpoch: 3,
    baseSequence: 7,
    records: [
      {key: 'k1', value: 'v1', timestamp: 1_700_000_000_000},
      {key: null, value: 'x'.repeat(300), timestamp: 1_699_999_999_000, headers: [{key: 'h', value: 'hv'}]},
      {key: 'k3', value: null, timestamp: 1_700_000_005_000, headers: [{key: 'empty', value: null}]},
    ],
  });

describe('record batch header', () => {
  it('parses every field of an encoded batch', () => {
    const batch = sample();
    const header = validateBatch(batch);
    expect(header).toMatchObject({
      baseOffset: 0,
      batchLength: batch.length - 12,
      partitionLeaderEpoch: -1,
      magic: 2,
      attributes: 0,
      lastOffsetDelta: 2,
      baseTimestamp: 1_700_000_000_000,
      maxTimestamp: 1_700_000_005_000,
      producerId: 42,
      producerEpoch: 3,
      baseSequence: 7,
      recordCount: 3,
      sizeInBytes: batch.length,
      lastOffset: 2,
      compression: Compression.none,
      timestampType: 'CreateTime',
      isTransactional: false,
      isControl: false,
    });
  });

  it('reads and writes int64 values as numbers, negatives included', () => {
    const buf = Buffer.alloc(8);
    for (const value of [0, -1, 1, 2 ** 40 + 5, -(2 ** 40) - 5, Number.MAX_SAFE_INTEGER]) {
      writeInt64(buf, 0, value);
      expect(buf.readBigInt64BE(0)).toBe(BigInt(value));
      expect(readInt64(buf, 0)).toBe(value);
    }
  });

  it('decodes the attribute bits', () => {
    const header = readBatchHeader(encodeRecordBatch({records: [{value: 'a'}], transactional: true, control: true, compression: 'gzip'}));
    expect(header).toMatchObject({compression: Compression.gzip, isTransactional: true, isControl: true});
  });
});

describe('validation', () => {
  it('rejects a bad CRC with CORRUPT_MESSAGE', () => {
    const batch = sample();
    batch[batch.length - 1] = batch[batch.length - 1]! ^ 0xff;
    expectProtocolError(() => validateBatch(batch), ErrorCode.CORRUPT_MESSAGE);
  });

  it('rejects magic 0/1 with UNSUPPORTED_FOR_MESSAGE_FORMAT', () => {
    const batch = sample();
    batch.writeInt8(1, BatchField.magic);
    expectProtocolError(() => validateBatch(batch), ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT);
  });

  it('rejects truncated input and inconsistent lengths with CORRUPT_MESSAGE', () => {
    const batch = sample();
    expectProtocolError(() => validateBatch(batch.subarray(0, 8)), ErrorCode.CORRUPT_MESSAGE);
    expectProtocolError(() => validateBatch(batch.subarray(0, batch.length - 1)), ErrorCode.CORRUPT_MESSAGE);
    const tooShort = Buffer.from(batch);
    tooShort.writeInt32BE(20, BatchField.batchLength);
    expectProtocolError(() => validateBatch(tooShort), ErrorCode.CORRUPT_MESSAGE);
    // A whole batch followed by a few stray bytes is not a valid record set either.
    expectProtocolError(() => validateBatches(Buffer.concat([batch, Buffer.alloc(5)])), ErrorCode.CORRUPT_MESSAGE);
  });

  it('rejects control batches from clients with INVALID_RECORD but lets the broker write them', () => {
    const marker = encodeRecordBatch({control: true, transactional: true, records: [{key: Buffer.from([0, 0, 0, 1]), value: Buffer.alloc(6)}]});
    expectProtocolError(() => validateBatch(marker), ErrorCode.INVALID_RECORD);
    expect(validateBatch(marker, 0, marker.length, 'broker').isControl).toBe(true);
  });

  it('rejects a record count that disagrees with lastOffsetDelta (INVALID_RECORD)', () => {
    const batch = sample();
    batch.writeInt32BE(5, BatchField.lastOffsetDelta);
    updateBatchCrc(batch);
    expectProtocolError(() => validateBatch(batch), ErrorCode.INVALID_RECORD);
  });

  it('validates a buffer of several batches and reports their positions', () => {
    const a = sample();
    const b = encodeRecordBatch({records: [{value: 'b'}]});
    const batches = validateBatches(Buffer.concat([a, b]));
    expect(batches.map((x) => x.position)).toEqual([0, a.length]);
    expect(batches[1]!.header.recordCount).toBe(1);
  });

  it('iterates complete batches and stops at a trailing partial one', () => {
    const a = sample();
    const b = encodeRecordBatch({records: [{value: 'b'}]});
    const joined = Buffer.concat([a, b, a.subarray(0, 70)]);
    expect([...iterateBatches(joined)].map((x) => x.position)).toEqual([0, a.length]);
  });
});

describe('in-place rewrites', () => {
  it('setBaseOffset keeps the CRC valid', () => {
    const batch = sample();
    setBaseOffset(batch, 0, 123_456_789_012);
    expect(validateBatch(batch).baseOffset).toBe(123_456_789_012);
    expect(decodeRecords(batch).map((r) => r.offset)).toEqual([123_456_789_012, 123_456_789_013, 123_456_789_014]);
  });

  it('setLogAppendTime stamps the batch, keeps it valid and makes every record carry the time', () => {
    const batch = sample();
    setLogAppendTime(batch, 0, 1_800_000_000_000);
    const header = validateBatch(batch);
    expect(header).toMatchObject({timestampType: 'LogAppendTime', baseTimestamp: 1_800_000_000_000, maxTimestamp: 1_800_000_000_000});
    expect(decodeRecords(batch).map((r) => r.timestamp)).toEqual([1_800_000_000_000, 1_800_000_000_000, 1_800_000_000_000]);
  });
});

describe('record decoding', () => {
  it('round-trips keys, values, headers and timestamps (uncompressed and gzip)', () => {
    for (const compression of ['none', 'gzip'] as const) {
      const batch = encodeRecordBatch({
        compression,
        baseOffset: 10,
        records: [
          {key: 'a', value: 'first', timestamp: 1000, headers: [{key: 'trace', value: 'abc'}, {key: 'trace', value: 'def'}]},
          {key: null, value: Buffer.alloc(20_000, 7), timestamp: 500},
          {value: null, timestamp: 2 ** 45},
        ],
      });
      validateBatch(batch);
      const records = decodeRecords(batch);
      expect(records.map((r) => [r.offset, r.timestamp])).toEqual([
        [10, 1000],
        [11, 500],
        [12, 2 ** 45],
      ]);
      expect(records[0]!.key?.toString()).toBe('a');
      expect(records[0]!.value?.toString()).toBe('first');
      expect(records[0]!.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
        ['trace', 'abc'],
        ['trace', 'def'],
      ]);
      expect(records[1]!.key).toBeNull();
      expect(records[1]!.value).toEqual(Buffer.alloc(20_000, 7));
      expect(records[2]!.value).toBeNull();
    }
  });

  it('refuses codecs other than none and gzip', () => {
    const batch = sample();
    batch.writeInt16BE(Compression.zstd, BatchField.attributes);
    updateBatchCrc(batch);
    expect(validateBatch(batch).compression).toBe(Compression.zstd);
    expectProtocolError(() => decodeRecords(batch), ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  });

  it('reports records that overrun their batch as CORRUPT_MESSAGE', () => {
    const batch = sample();
    batch.writeInt32BE(4, BatchField.recordCount); // one record more than present
    expectProtocolError(() => decodeRecords(batch), ErrorCode.CORRUPT_MESSAGE);
  });
});

describe('compatibility with kafkajs', () => {
  async function kafkajsBatch(compression: number): Promise<Buffer> {
    const now = 1_700_000_000_000;
    const records = [
      KafkajsRecordEncoder({offsetDelta: 0, timestampDelta: 0, key: Buffer.from('key-0'), value: Buffer.from('value-0'), headers: {a: 'x'}}),
      KafkajsRecordEncoder({offsetDelta: 1, timestampDelta: 5, key: null, value: Buffer.from('value-1')}),
      KafkajsRecordEncoder({offsetDelta: 2, timestampDelta: 9, key: Buffer.from('key-2'), value: Buffer.from('v'.repeat(1000))}),
    ];
    const encoder = await RecordBatch({
      compression,
      records,
      firstTimestamp: now,
      maxTimestamp: now + 9,
      lastOffsetDelta: records.length - 1,
    });
    return encoder.buffer;
  }

  it.each([
    ['uncompressed', 0],
    ['gzip', 1],
  ])('validates and decodes a %s batch built by the kafkajs encoder', async (_name, compression) => {
    const batch = await kafkajsBatch(compression);
    const header = validateBatch(batch);
    expect(header).toMatchObject({recordCount: 3, lastOffsetDelta: 2, compression, maxTimestamp: 1_700_000_000_009});
    const records = decodeRecords(batch);
    expect(records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null])).toEqual([
      [0, 1_700_000_000_000, 'key-0'],
      [1, 1_700_000_000_005, null],
      [2, 1_700_000_000_009, 'key-2'],
    ]);
    expect(records[0]!.headers.map((h) => [h.key, h.value?.toString()])).toEqual([['a', 'x']]);
    expect(records[2]!.value?.length).toBe(1000);
  });

  it('produces batches that the kafkajs decoder reads back, after offset and LogAppendTime rewrites', async () => {
    const batch = encodeRecordBatch({
      compression: 'gzip',
      records: [
        {key: 'k', value: 'v', timestamp: 1000, headers: [{key: 'h', value: 'hv'}]},
        {key: null, value: 'w', timestamp: 2000},
      ],
    });
    setBaseOffset(batch, 0, 77);
    const decoded = await decodeWithKafkajs(new KafkajsDecoder(batch));
    expect(decoded.records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString()])).toEqual([
      ['77', '1000', 'k', 'v'],
      ['78', '2000', null, 'w'],
    ]);
    expect(decoded.records[0]!.headers.h?.toString()).toBe('hv');

    setLogAppendTime(batch, 0, 5555);
    const stamped = await decodeWithKafkajs(new KafkajsDecoder(batch));
    expect(stamped.records.map((r) => r.timestamp)).toEqual(['5555', '5555']);
  });
});
