/**
 * Validation and walks over record batch v2 buffers: size, magic, CRC-32C and header sanity for
 * what clients send (and what recovery reads back), and iteration over whole batches.
 */
import {crc32c} from './crc32c.js';
import {ErrorCode, KafkaProtocolError} from './errors.js';
import {BatchField, Compression, LOG_OVERHEAD, MAGIC_V2, readBatchHeader, RECORD_BATCH_OVERHEAD, type RecordBatchHeader} from './batch-header.js';

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
