/**
 * Kafka record batch v2 (magic 2): the 61-byte header, its attribute flags (compression,
 * timestamp type, transactional, control), the producer fields used by idempotence
 * (producerId, producerEpoch, baseSequence), the CRC and the in-place rewrites the broker does
 * on append. Validation is in batch-validation.ts, records in batch-records.ts.
 *
 * Layout (big endian), positions relative to the batch start:
 *   0 baseOffset int64 | 8 batchLength int32 (bytes after this field) | 12 partitionLeaderEpoch int32
 *   16 magic int8 | 17 crc uint32 (CRC-32C of bytes 21..end) | 21 attributes int16
 *   23 lastOffsetDelta int32 | 27 baseTimestamp int64 | 35 maxTimestamp int64 | 43 producerId int64
 *   51 producerEpoch int16 | 53 baseSequence int32 | 57 recordCount int32 | 61 records…
 * Because the CRC starts at the attributes, rewriting baseOffset (or the leader epoch) keeps it valid.
 *
 * int64 fields are read as JS numbers: offsets, timestamps and producer ids stay far below 2^53.
 */
import {crc32c} from './crc32c.js';

export const BatchField = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
  records: 61,
} as const;

/** baseOffset + batchLength: the bytes that batchLength does not count. */
export const LOG_OVERHEAD = 12;
/** Size of a v2 batch header; the smallest possible batch (no records). */
export const RECORD_BATCH_OVERHEAD = 61;
export const MAGIC_V2 = 2;

export const Compression = {none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4} as const;
export type CompressionName = keyof typeof Compression;

/** Bits of the attributes field. */
export const BatchAttribute = {
  compressionMask: 0x07,
  logAppendTime: 0x08,
  transactional: 0x10,
  control: 0x20,
} as const;

/** producerId of a batch from a producer that is neither idempotent nor transactional. */
export const NO_PRODUCER_ID = -1;

export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface RecordBatchHeader {
  baseOffset: number;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
  // Derived from the fields above, for convenience.
  sizeInBytes: number;
  lastOffset: number;
  compression: number;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
}

/** Reads an int64 as a number (exact below 2^53, including negatives such as -1). */
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * 0x1_0000_0000 + buf.readUInt32BE(pos + 4);
}

export function writeInt64(buf: Buffer, pos: number, value: number): void {
  const hi = Math.floor(value / 0x1_0000_0000);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(value - hi * 0x1_0000_0000, pos + 4);
}

/** Parses the 61-byte header at `pos`; the caller ensures those bytes are present. */
export function readBatchHeader(buf: Buffer, pos = 0): RecordBatchHeader {
  const baseOffset = readInt64(buf, pos + BatchField.baseOffset);
  const batchLength = buf.readInt32BE(pos + BatchField.batchLength);
  const attributes = buf.readInt16BE(pos + BatchField.attributes);
  const lastOffsetDelta = buf.readInt32BE(pos + BatchField.lastOffsetDelta);
  return {
    baseOffset,
    batchLength,
    partitionLeaderEpoch: buf.readInt32BE(pos + BatchField.partitionLeaderEpoch),
    magic: buf.readInt8(pos + BatchField.magic),
    crc: buf.readUInt32BE(pos + BatchField.crc),
    attributes,
    lastOffsetDelta,
    baseTimestamp: readInt64(buf, pos + BatchField.baseTimestamp),
    maxTimestamp: readInt64(buf, pos + BatchField.maxTimestamp),
    producerId: readInt64(buf, pos + BatchField.producerId),
    producerEpoch: buf.readInt16BE(pos + BatchField.producerEpoch),
    baseSequence: buf.readInt32BE(pos + BatchField.baseSequence),
    recordCount: buf.readInt32BE(pos + BatchField.recordCount),
    sizeInBytes: LOG_OVERHEAD + batchLength,
    lastOffset: baseOffset + lastOffsetDelta,
    compression: attributes & BatchAttribute.compressionMask,
    timestampType: attributes & BatchAttribute.logAppendTime ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & BatchAttribute.transactional) !== 0,
    isControl: (attributes & BatchAttribute.control) !== 0,
  };
}

/** CRC-32C the batch at `pos` should carry (attributes to the end of the batch). */
export function computeBatchCrc(buf: Buffer, pos = 0): number {
  const end = pos + LOG_OVERHEAD + buf.readInt32BE(pos + BatchField.batchLength);
  return crc32c(buf, pos + BatchField.attributes, end);
}

/** Recomputes and stores the CRC after a rewrite of any field from the attributes on. */
export function updateBatchCrc(buf: Buffer, pos = 0): void {
  buf.writeUInt32BE(computeBatchCrc(buf, pos), pos + BatchField.crc);
}

/** In place; needs no CRC update because the CRC does not cover baseOffset. */
export function setBaseOffset(buf: Buffer, pos: number, baseOffset: number): void {
  writeInt64(buf, pos + BatchField.baseOffset, baseOffset);
}

/**
 * Marks the batch as LogAppendTime and stamps `now` as its base and max timestamp; clients then
 * report maxTimestamp for every record. Covered by the CRC, so the CRC is recomputed.
 */
export function setLogAppendTime(buf: Buffer, pos: number, now: number): void {
  const attributes = buf.readInt16BE(pos + BatchField.attributes);
  buf.writeInt16BE(attributes | BatchAttribute.logAppendTime, pos + BatchField.attributes);
  writeInt64(buf, pos + BatchField.baseTimestamp, now);
  writeInt64(buf, pos + BatchField.maxTimestamp, now);
  updateBatchCrc(buf, pos);
}
