import {createRequire} from 'node:module';
import kafkajs from 'kafkajs';
import {OperationError} from '../core/errors.js';
import {
  BatchAttribute,
  BatchField,
  Compression,
  decodeRecords,
  LOG_OVERHEAD,
  MAGIC_V2,
  readBatchHeader,
  readInt64,
  RECORD_BATCH_OVERHEAD,
  type DecodedRecord,
} from '../broker/protocol/record-batch.js';
import type {InternalBroker} from './kafkajs-internals.js';

/**
 * Fetch requests whose record batches kpat decodes itself, with the batch codec the
 * embedded broker uses. kafkajs turns every record into an object with string
 * offsets and timestamps (through its Long type) and a copy of its batch header:
 * most of a reader's time for small records. The request is kafkajs' own Fetch v4
 * (read_committed, aborted-transaction lists, record batches v2: every Kafka since
 * 0.11 answers it), sent over kafkajs' connection, so TLS, SASL and metadata stay its.
 */
const require = createRequire(import.meta.url);

type ProtocolRequest = {apiKey: number; apiVersion: number; apiName: string; encode(): Promise<unknown>};
const fetchV4Request = require('kafkajs/src/protocol/requests/fetch/v4/request.js') as (req: {
  replicaId: number;
  isolationLevel: number;
  maxWaitTime: number;
  minBytes: number;
  maxBytes: number;
  topics: Array<{topic: string; partitions: Array<{partition: number; fetchOffset: string; maxBytes: number}>}>;
}) => ProtocolRequest;
const {createErrorFromCode} = require('kafkajs/src/protocol/error.js') as {createErrorFromCode(code: number): Error};

const {CompressionCodecs} = kafkajs;

/** One record batch of a fetch: its header, and its records from the reader's position on. */
export interface FetchedBatch {
  baseOffset: number;
  lastOffset: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  isTransactional: boolean;
  isControl: boolean;
  firstTimestamp: number;
  maxTimestamp: number;
  records: DecodedRecord[];
}

export interface FetchedPartition {
  partition: number;
  errorCode: number;
  abortedTransactions: Array<{producerId: number; firstOffset: number}>;
  /** Whole batches only: a batch the size limit cut off comes whole in the next fetch. */
  batches: FetchedBatch[];
}

export interface FetchRequest {
  topic: string;
  partitions: Array<{partition: number; fetchOffset: number; maxBytes: number}>;
  isolationLevel: number;
  maxWaitMs: number;
  maxBytes: number;
}

const NETWORK_DELAY_MS = 100;
const OFFSET_OUT_OF_RANGE = 1;

/**
 * Sends one fetch to `broker` and decodes its batches. Partition errors other than
 * OFFSET_OUT_OF_RANGE (left to the caller, who knows where to resume) are thrown as
 * kafkajs' protocol errors, so the usual error translation names them.
 */
export async function fetchBatches(broker: InternalBroker, req: FetchRequest): Promise<FetchedPartition[]> {
  const request = fetchV4Request({
    replicaId: -1,
    isolationLevel: req.isolationLevel,
    maxWaitTime: req.maxWaitMs,
    minBytes: 1,
    maxBytes: req.maxBytes,
    topics: [{topic: req.topic, partitions: req.partitions.map((p) => ({partition: p.partition, fetchOffset: String(p.fetchOffset), maxBytes: p.maxBytes}))}],
  });
  const response = {decode: async (raw: Buffer) => raw, parse: async (raw: Buffer) => raw};
  let raw: Buffer;
  try {
    // A fetch may wait maxWaitMs on the broker: longer than a request timeout, as kafkajs allows too.
    raw = (await broker.connectionPool.send({request, response, requestTimeout: req.maxWaitMs + NETWORK_DELAY_MS})) as Buffer;
  } catch (error) {
    // As kafkajs' own requests do: a closed connection is reopened by the next request.
    if ((error as {name?: string}).name === 'KafkaJSConnectionClosedError') await broker.disconnect().catch(() => {});
    throw error;
  }
  const partitions = await decodeFetchV4(raw);
  for (const p of partitions) if (p.errorCode !== 0 && p.errorCode !== OFFSET_OUT_OF_RANGE) throw createErrorFromCode(p.errorCode);
  return partitions;
}

/** Fetch response v4: throttle_time, [topic, [partition, error, high watermark, last stable offset, [aborted], records]]. */
async function decodeFetchV4(buf: Buffer): Promise<FetchedPartition[]> {
  let pos = 4;
  const out: FetchedPartition[] = [];
  const topics = buf.readInt32BE(pos);
  pos += 4;
  for (let t = 0; t < topics; t++) {
    pos += 2 + buf.readInt16BE(pos);
    const count = buf.readInt32BE(pos);
    pos += 4;
    for (let i = 0; i < count; i++) {
      const partition = buf.readInt32BE(pos);
      const errorCode = buf.readInt16BE(pos + 4);
      pos += 4 + 2 + 8 + 8;
      const aborted = buf.readInt32BE(pos);
      pos += 4;
      const abortedTransactions: FetchedPartition['abortedTransactions'] = [];
      for (let a = 0; a < aborted; a++) {
        abortedTransactions.push({producerId: readInt64(buf, pos), firstOffset: readInt64(buf, pos + 8)});
        pos += 16;
      }
      const size = buf.readInt32BE(pos);
      pos += 4;
      const records = size > 0 ? buf.subarray(pos, pos + size) : null;
      pos += Math.max(size, 0);
      out.push({partition, errorCode, abortedTransactions, batches: records ? await decodeBatches(records) : []});
    }
  }
  return out;
}

/** The whole batches in a fetched record set; a truncated last one is left for the next fetch. */
export async function decodeBatches(buf: Buffer): Promise<FetchedBatch[]> {
  const batches: FetchedBatch[] = [];
  let pos = 0;
  while (pos + RECORD_BATCH_OVERHEAD <= buf.length) {
    const size = LOG_OVERHEAD + buf.readInt32BE(pos + BatchField.batchLength);
    if (pos + size > buf.length) break;
    const magic = buf.readInt8(pos + BatchField.magic);
    if (magic !== MAGIC_V2) {
      throw new OperationError(`the broker sent records in message format v${magic} (before Kafka 0.11), which kpat does not read — rewrite the topic with a current client, or read it with kcat`);
    }
    const header = readBatchHeader(buf, pos);
    const batch = buf.subarray(pos, pos + size);
    const plain = header.compression === Compression.none || header.compression === Compression.gzip ? batch : await decompressed(batch, header.compression);
    batches.push({
      baseOffset: header.baseOffset,
      lastOffset: header.lastOffset,
      producerId: header.producerId,
      producerEpoch: header.producerEpoch,
      baseSequence: header.baseSequence,
      isTransactional: header.isTransactional,
      isControl: header.isControl,
      firstTimestamp: header.baseTimestamp,
      maxTimestamp: header.maxTimestamp,
      records: decodeRecords(plain),
    });
    pos += size;
  }
  return batches;
}

/** A snappy, lz4 or zstd batch rewritten uncompressed, with the codecs kpat registers with kafkajs. */
async function decompressed(batch: Buffer, codec: number): Promise<Buffer> {
  const factory = CompressionCodecs[codec as keyof typeof CompressionCodecs] as undefined | (() => {decompress(b: Buffer): Promise<Buffer>});
  if (!factory) throw new OperationError(`a record batch uses compression codec ${codec}, which kpat does not know`);
  const body = await factory().decompress(batch.subarray(RECORD_BATCH_OVERHEAD));
  const plain = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + body.length);
  batch.copy(plain, 0, 0, RECORD_BATCH_OVERHEAD);
  body.copy(plain, RECORD_BATCH_OVERHEAD);
  plain.writeInt32BE(plain.length - LOG_OVERHEAD, BatchField.batchLength);
  plain.writeInt16BE(batch.readInt16BE(BatchField.attributes) & ~BatchAttribute.compressionMask, BatchField.attributes);
  return plain;
}
