/**
 * Kafka record batch v2 (magic 2): header parsing, validation, in-place rewrites done by the
 * broker on append, record decoding (uncompressed and gzip) and an encoder for tests and tools.
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
import {gunzipSync, gzipSync} from 'node:zlib';
import {crc32c} from './crc32c.js';
import {ErrorCode, KafkaProtocolError} from './errors.js';

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

const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_BIT = 0x08;
const TRANSACTIONAL_BIT = 0x10;
const CONTROL_BIT = 0x20;

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
    compression: attributes & COMPRESSION_MASK,
    timestampType: attributes & TIMESTAMP_TYPE_BIT ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & TRANSACTIONAL_BIT) !== 0,
    isControl: (attributes & CONTROL_BIT) !== 0,
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
  buf.writeInt16BE(attributes | TIMESTAMP_TYPE_BIT, pos + BatchField.attributes);
  writeInt64(buf, pos + BatchField.baseTimestamp, now);
  writeInt64(buf, pos + BatchField.maxTimestamp, now);
  updateBatchCrc(buf, pos);
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Who wrote the batch: clients may not send control batches; the broker writes markers itself. */
export type BatchOrigin = 'client' | 'broker';

export interface BatchProblem {
  code: number;
  reason: string;
  /** The bytes end before the batch does: a torn write on disk, a short request on the wire. */
  truncated: boolean;
}

function problem(code: number, reason: string, truncated = false): BatchProblem {
  return {code, reason, truncated};
}

/**
 * Checks the batch starting at `pos` within `buf[pos, end)`: size, magic, CRC and header sanity.
 * Returns what is wrong, or the parsed header. Never throws, so log recovery can use it.
 */
export function inspectBatch(
  buf: Buffer,
  pos: number,
  end: number,
  origin: BatchOrigin,
): RecordBatchHeader | BatchProblem {
  const available = end - pos;
  if (available < LOG_OVERHEAD) {
    return problem(ErrorCode.CORRUPT_MESSAGE, `${available} bytes left, a batch needs at least ${LOG_OVERHEAD}`, true);
  }
  // Magic sits at byte 16 in every message format, so check it before trusting the v2 layout.
  if (available > BatchField.magic) {
    const magic = buf.readInt8(pos + BatchField.magic);
    if (magic !== MAGIC_V2) {
      return problem(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, `magic ${magic} is not supported, only record batch v2`);
    }
  }
  const batchLength = buf.readInt32BE(pos + BatchField.batchLength);
  if (batchLength < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) {
    return problem(ErrorCode.CORRUPT_MESSAGE, `batch length ${batchLength} is below the v2 minimum of ${RECORD_BATCH_OVERHEAD - LOG_OVERHEAD}`);
  }
  const size = LOG_OVERHEAD + batchLength;
  if (size > available) {
    return problem(ErrorCode.CORRUPT_MESSAGE, `batch of ${size} bytes but only ${available} bytes left`, true);
  }
  const header = readBatchHeader(buf, pos);
  const actualCrc = crc32c(buf, pos + BatchField.attributes, pos + size);
  if (actualCrc !== header.crc) {
    return problem(ErrorCode.CORRUPT_MESSAGE, `CRC mismatch: batch says ${hex(header.crc)}, content is ${hex(actualCrc)}`);
  }
  if (header.compression > Compression.zstd) {
    return problem(ErrorCode.CORRUPT_MESSAGE, `unknown compression codec ${header.compression}`);
  }
  if (header.lastOffsetDelta < 0 || header.recordCount < 0) {
    return problem(ErrorCode.CORRUPT_MESSAGE, `negative lastOffsetDelta ${header.lastOffsetDelta} or recordCount ${header.recordCount}`);
  }
  if (origin === 'client') {
    if (header.isControl) return problem(ErrorCode.INVALID_RECORD, 'clients may not send control batches');
    // Same rule as Kafka's LogValidator: the offset range must match the record count.
    if (header.recordCount === 0 || header.lastOffsetDelta !== header.recordCount - 1) {
      return problem(
        ErrorCode.INVALID_RECORD,
        `record count ${header.recordCount} does not match lastOffsetDelta ${header.lastOffsetDelta}`,
      );
    }
  }
  return header;
}

export function isBatchProblem(value: RecordBatchHeader | BatchProblem): value is BatchProblem {
  return 'reason' in value;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** Validates the batch at `pos`; throws KafkaProtocolError with the matching code. */
export function validateBatch(buf: Buffer, pos = 0, end = buf.length, origin: BatchOrigin = 'client'): RecordBatchHeader {
  const result = inspectBatch(buf, pos, end, origin);
  if (isBatchProblem(result)) throw new KafkaProtocolError(result.code, `invalid record batch at byte ${pos}: ${result.reason}`);
  return result;
}

export interface BatchAt {
  position: number;
  header: RecordBatchHeader;
}

/**
 * Validates a buffer that must consist of whole v2 batches and nothing else (a produce request's
 * records). Throws on the first problem; returns every batch with its position.
 */
export function validateBatches(buf: Buffer, origin: BatchOrigin = 'client'): BatchAt[] {
  const batches: BatchAt[] = [];
  let position = 0;
  while (position < buf.length) {
    const header = validateBatch(buf, position, buf.length, origin);
    batches.push({position, header});
    position += header.sizeInBytes;
  }
  return batches;
}

/**
 * Iterates the complete batches of `buf[start, end)` without checking CRCs; stops quietly at a
 * trailing partial batch (fetch responses may end with one). Throws only for a non-v2 batch.
 */
export function* iterateBatches(buf: Buffer, start = 0, end = buf.length): Generator<BatchAt> {
  let position = start;
  while (end - position >= RECORD_BATCH_OVERHEAD) {
    const magic = buf.readInt8(position + BatchField.magic);
    if (magic !== MAGIC_V2) {
      throw new KafkaProtocolError(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, `magic ${magic} at byte ${position}`);
    }
    const header = readBatchHeader(buf, position);
    if (header.batchLength < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD || position + header.sizeInBytes > end) return;
    yield {position, header};
    position += header.sizeInBytes;
  }
}

// ---------------------------------------------------------------------------------------------
// Records

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface DecodedRecord {
  offset: number;
  /** Create time, or the batch's maxTimestamp for LogAppendTime batches (as clients do). */
  timestamp: number;
  attributes: number;
  /** Views into the batch buffer (or the decompressed copy), not copies. */
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Decodes the records of the batch at `pos` (uncompressed or gzip; other codecs are refused). */
export function decodeRecords(buf: Buffer, pos = 0): DecodedRecord[] {
  const header = readBatchHeader(buf, pos);
  const bodyStart = pos + RECORD_BATCH_OVERHEAD;
  const bodyEnd = pos + header.sizeInBytes;
  if (bodyEnd > buf.length) throw corrupt(`batch at byte ${pos} is truncated`);
  let body: Buffer;
  if (header.compression === Compression.none) {
    body = buf.subarray(bodyStart, bodyEnd);
  } else if (header.compression === Compression.gzip) {
    try {
      body = gunzipSync(buf.subarray(bodyStart, bodyEnd));
    } catch (error) {
      throw corrupt(`gzip batch at offset ${header.baseOffset} does not decompress: ${(error as Error).message}`);
    }
  } else {
    throw new KafkaProtocolError(
      ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
      `cannot decode records compressed with codec ${header.compression} (only none and gzip)`,
    );
  }
  const logAppendTime = header.timestampType === 'LogAppendTime';
  const reader = new VarintReader(body);
  const records: DecodedRecord[] = [];
  for (let i = 0; i < header.recordCount; i++) {
    const length = reader.varint();
    const recordEnd = reader.pos + length;
    if (length < 0 || recordEnd > body.length) throw corrupt(`record ${i} of batch ${header.baseOffset} overruns the batch`);
    const attributes = reader.int8();
    const timestampDelta = reader.varlong();
    const offsetDelta = reader.varint();
    const key = reader.bytes();
    const value = reader.bytes();
    const headerCount = reader.varint();
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const headerKey = reader.bytes();
      if (headerKey === null) throw corrupt('record header key is null');
      headers.push({key: headerKey.toString('utf8'), value: reader.bytes()});
    }
    if (reader.pos !== recordEnd) throw corrupt(`record ${i} of batch ${header.baseOffset} has a wrong length`);
    records.push({
      offset: header.baseOffset + offsetDelta,
      timestamp: logAppendTime ? header.maxTimestamp : header.baseTimestamp + timestampDelta,
      attributes,
      key,
      value,
      headers,
    });
  }
  return records;
}

function corrupt(reason: string): KafkaProtocolError {
  return new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, reason);
}

/** Reads zigzag varints (Kafka's record encoding) with bounds checks. */
class VarintReader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  private byte(): number {
    if (this.pos >= this.buf.length) throw corrupt('record data ends inside a field');
    return this.buf[this.pos++]!;
  }

  int8(): number {
    const b = this.byte();
    return b > 127 ? b - 256 : b;
  }

  varint(): number {
    let raw = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      raw |= (b & 0x7f) << shift;
      if (b < 0x80) return (raw >>> 1) ^ -(raw & 1);
    }
    throw corrupt('varint longer than 5 bytes');
  }

  /** Numbers beyond 2^53 lose precision, which no real timestamp delta reaches. */
  varlong(): number {
    let raw = 0;
    let factor = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      raw += (b & 0x7f) * factor;
      if (b < 0x80) return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
      factor *= 128;
    }
    throw corrupt('varlong longer than 10 bytes');
  }

  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    if (this.pos + length > this.buf.length) throw corrupt('record field overruns the batch');
    const view = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding (tests and tools; the broker itself stores client bytes as they are)

export interface RecordInput {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Array<{key: string; value: Buffer | string | null}>;
  /** Defaults to the batch's base timestamp. */
  timestamp?: number;
}

export interface BatchInput {
  records: RecordInput[];
  baseOffset?: number;
  /** Defaults to the first record's timestamp, else Date.now(). */
  baseTimestamp?: number;
  compression?: 'none' | 'gzip';
  timestampType?: TimestampType;
  partitionLeaderEpoch?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  control?: boolean;
}

/** Builds a complete v2 batch with a valid CRC. */
export function encodeRecordBatch(input: BatchInput): Buffer {
  const {records} = input;
  const baseTimestamp = input.baseTimestamp ?? records.find((r) => r.timestamp !== undefined)?.timestamp ?? Date.now();
  let maxTimestamp = -1;
  const writer = new VarintWriter();
  records.forEach((record, offsetDelta) => {
    const timestamp = record.timestamp ?? baseTimestamp;
    maxTimestamp = Math.max(maxTimestamp, timestamp);
    encodeRecord(writer, record, timestamp - baseTimestamp, offsetDelta);
  });
  let body = writer.toBuffer();
  if (input.compression === 'gzip') body = gzipSync(body);

  const attributes =
    (input.compression === 'gzip' ? Compression.gzip : Compression.none) |
    (input.timestampType === 'LogAppendTime' ? TIMESTAMP_TYPE_BIT : 0) |
    (input.transactional ? TRANSACTIONAL_BIT : 0) |
    (input.control ? CONTROL_BIT : 0);
  const batch = Buffer.alloc(RECORD_BATCH_OVERHEAD + body.length);
  writeInt64(batch, BatchField.baseOffset, input.baseOffset ?? 0);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, BatchField.batchLength);
  batch.writeInt32BE(input.partitionLeaderEpoch ?? -1, BatchField.partitionLeaderEpoch);
  batch.writeInt8(MAGIC_V2, BatchField.magic);
  batch.writeInt16BE(attributes, BatchField.attributes);
  batch.writeInt32BE(Math.max(records.length - 1, 0), BatchField.lastOffsetDelta);
  writeInt64(batch, BatchField.baseTimestamp, baseTimestamp);
  writeInt64(batch, BatchField.maxTimestamp, records.length > 0 ? maxTimestamp : baseTimestamp);
  writeInt64(batch, BatchField.producerId, input.producerId ?? -1);
  batch.writeInt16BE(input.producerEpoch ?? -1, BatchField.producerEpoch);
  batch.writeInt32BE(input.baseSequence ?? -1, BatchField.baseSequence);
  batch.writeInt32BE(records.length, BatchField.recordCount);
  body.copy(batch, RECORD_BATCH_OVERHEAD);
  updateBatchCrc(batch, 0);
  return batch;
}

function toBytes(value: Buffer | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

function encodeRecord(out: VarintWriter, record: RecordInput, timestampDelta: number, offsetDelta: number): void {
  const body = new VarintWriter();
  body.int8(0);
  body.varlong(timestampDelta);
  body.varlong(offsetDelta);
  body.bytes(toBytes(record.key));
  body.bytes(toBytes(record.value));
  const headers = record.headers ?? [];
  body.varlong(headers.length);
  for (const header of headers) {
    body.bytes(Buffer.from(header.key, 'utf8'));
    body.bytes(toBytes(header.value));
  }
  const encoded = body.toBuffer();
  out.varlong(encoded.length);
  out.raw(encoded);
}

/** Growable buffer writing zigzag varints. */
class VarintWriter {
  private buf = Buffer.alloc(256);
  private length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const grown = Buffer.alloc(Math.max(this.buf.length * 2, this.length + extra));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }

  int8(value: number): void {
    this.ensure(1);
    this.buf.writeInt8(value, this.length++);
  }

  /** Zigzag varint/varlong with plain arithmetic, exact for |value| < 2^52. */
  varlong(value: number): void {
    this.ensure(10);
    let raw = value >= 0 ? value * 2 : -value * 2 - 1;
    while (raw >= 0x80) {
      this.buf[this.length++] = (raw % 0x80) | 0x80;
      raw = Math.floor(raw / 0x80);
    }
    this.buf[this.length++] = raw;
  }

  bytes(value: Buffer | null): void {
    if (value === null) {
      this.varlong(-1);
      return;
    }
    this.varlong(value.length);
    this.raw(value);
  }

  raw(value: Buffer): void {
    this.ensure(value.length);
    value.copy(this.buf, this.length);
    this.length += value.length;
  }

  toBuffer(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}
