/**
 * The records inside a v2 batch: zigzag-varint decoding (uncompressed and gzip) and an encoder
 * that builds whole batches, for tests and tools (the broker stores client bytes as they are).
 */
import {gunzipSync, gzipSync} from 'node:zlib';
import {ErrorCode, KafkaProtocolError} from './errors.js';
import {
  BatchAttribute,
  BatchField,
  Compression,
  LOG_OVERHEAD,
  MAGIC_V2,
  readBatchHeader,
  RECORD_BATCH_OVERHEAD,
  updateBatchCrc,
  writeInt64,
  type TimestampType,
} from './batch-header.js';

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

export interface RecordInput {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Array<{key: string; value: Buffer | string | null}>;
  /** Defaults to the batch's base timestamp. */
  timestamp?: number;
  /** Offset relative to the batch's base offset; defaults to the record's position (the log cleaner leaves gaps). */
  offsetDelta?: number;
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
  /** For a batch without records (the log cleaner keeps some); else the records' largest timestamp. */
  maxTimestamp?: number;
  /** Defaults to the last record's offsetDelta; the log cleaner keeps a batch's original span. */
  lastOffsetDelta?: number;
}

/** Builds a complete v2 batch with a valid CRC. */
export function encodeRecordBatch(input: BatchInput): Buffer {
  const {records} = input;
  const baseTimestamp = input.baseTimestamp ?? records.find((r) => r.timestamp !== undefined)?.timestamp ?? Date.now();
  let maxTimestamp = -1;
  let lastOffsetDelta = 0;
  const writer = new VarintWriter();
  records.forEach((record, position) => {
    const timestamp = record.timestamp ?? baseTimestamp;
    maxTimestamp = Math.max(maxTimestamp, timestamp);
    const offsetDelta = record.offsetDelta ?? position;
    lastOffsetDelta = Math.max(lastOffsetDelta, offsetDelta);
    encodeRecord(writer, record, timestamp - baseTimestamp, offsetDelta);
  });
  let body = writer.toBuffer();
  if (input.compression === 'gzip') body = gzipSync(body);

  const attributes =
    (input.compression === 'gzip' ? Compression.gzip : Compression.none) |
    (input.timestampType === 'LogAppendTime' ? BatchAttribute.logAppendTime : 0) |
    (input.transactional ? BatchAttribute.transactional : 0) |
    (input.control ? BatchAttribute.control : 0);
  const batch = Buffer.alloc(RECORD_BATCH_OVERHEAD + body.length);
  writeInt64(batch, BatchField.baseOffset, input.baseOffset ?? 0);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, BatchField.batchLength);
  batch.writeInt32BE(input.partitionLeaderEpoch ?? -1, BatchField.partitionLeaderEpoch);
  batch.writeInt8(MAGIC_V2, BatchField.magic);
  batch.writeInt16BE(attributes, BatchField.attributes);
  batch.writeInt32BE(input.lastOffsetDelta ?? lastOffsetDelta, BatchField.lastOffsetDelta);
  writeInt64(batch, BatchField.baseTimestamp, baseTimestamp);
  writeInt64(batch, BatchField.maxTimestamp, records.length > 0 ? maxTimestamp : (input.maxTimestamp ?? baseTimestamp));
  writeInt64(batch, BatchField.producerId, input.producerId ?? -1);
  batch.writeInt16BE(input.producerEpoch ?? -1, BatchField.producerEpoch);
  batch.writeInt32BE(input.baseSequence ?? -1, BatchField.baseSequence);
  batch.writeInt32BE(records.length, BatchField.recordCount);
  body.copy(batch, RECORD_BATCH_OVERHEAD);
  updateBatchCrc(batch, 0);
  return batch;
}

/**
 * A record: its length, then attributes, deltas, key, value and headers. The length is
 * computed first, so the record is written straight into the batch body (no buffer per
 * record: producers encode many).
 */
function encodeRecord(out: VarintWriter, record: RecordInput, timestampDelta: number, offsetDelta: number): void {
  const key = record.key ?? null;
  const value = record.value;
  const headers = record.headers ?? [];
  let size = 1 + varlongSize(timestampDelta) + varlongSize(offsetDelta) + fieldSize(key) + fieldSize(value) + varlongSize(headers.length);
  for (const h of headers) size += fieldSize(h.key) + fieldSize(h.value);
  out.varlong(size);
  out.int8(0);
  out.varlong(timestampDelta);
  out.varlong(offsetDelta);
  out.bytes(key);
  out.bytes(value);
  out.varlong(headers.length);
  for (const h of headers) {
    out.bytes(h.key);
    out.bytes(h.value);
  }
}

const byteLength = (v: Buffer | string) => (typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.length);

/** A nullable bytes field's encoded size: its length as a varint, then the bytes. */
function fieldSize(v: Buffer | string | null): number {
  if (v === null) return 1;
  const n = byteLength(v);
  return varlongSize(n) + n;
}

function varlongSize(value: number): number {
  let raw = value >= 0 ? value * 2 : -value * 2 - 1;
  let size = 1;
  while (raw >= 0x80) {
    raw = Math.floor(raw / 0x80);
    size++;
  }
  return size;
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

  bytes(value: Buffer | string | null): void {
    if (value === null) {
      this.varlong(-1);
      return;
    }
    if (typeof value === 'string') {
      const n = Buffer.byteLength(value, 'utf8');
      this.varlong(n);
      this.ensure(n);
      this.length += this.buf.write(value, this.length, 'utf8');
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
