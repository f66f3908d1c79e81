/**
 * Fetch (key 1), v4–v11.
 * - Long poll: waits until min_bytes are available or max_wait_ms passes (never
 *   longer), waking as soon as a produce appends; errors answer at once.
 * - Sizes: whole batches as stored; per partition at most partition_max_bytes and
 *   overall at most max_bytes, except that the first batch found is always returned
 *   whole so a client can make progress past a batch larger than its limits (KIP-74).
 *   Batches without records (headers the log cleaner keeps for a producer's last sequence)
 *   never make up a partition's answer alone: the batch after them comes too.
 * - high watermark = log end. isolation_level 1 (read_committed): only batches below the last
 *   stable offset (the first offset of the oldest open transaction, else the high watermark),
 *   with the aborted transactions overlapping the returned range, sorted by first offset;
 *   bytes beyond the LSO do not count toward min_bytes, and a long poll wakes when a marker
 *   moves the LSO. isolation_level 0: everything up to the high watermark. aborted_transactions
 *   is a list, never null (clients reading committed data need it).
 * - No fetch sessions (KIP-227): session_id 0 in every answer, so clients send full fetches.
 * - Offset outside [log start, log end] → OFFSET_OUT_OF_RANGE for that partition.
 */
import {FetchRequestSchema, FetchResponseSchema, type FetchRequest, type FetchResponse} from '../protocol/messages/fetch.js';
import {ErrorCode, KafkaProtocolError} from '../protocol/errors.js';
import type {PartitionLog} from '../log/index.js';
import {iterateBatches} from '../protocol/record-batch.js';
import type {BrokerContext} from './types.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';

type PartitionData = FetchResponse['responses'][number]['partitions'][number];

const EMPTY = Buffer.alloc(0);
const READ_COMMITTED = 1;

/** The leading whole batches of `records` that start below `offset`. */
function batchesBelow(records: Buffer, offset: number): Buffer {
  let end = 0;
  for (const {position, header} of iterateBatches(records)) {
    if (header.baseOffset >= offset) break;
    end = position + header.sizeInBytes;
  }
  return end === records.length ? records : records.subarray(0, end);
}

/**
 * log.read, extended past leading batches without records: kafkajs learns nothing from an
 * answer holding only those (it sees no record, hence no offset) and fetches the same offset
 * forever; librdkafka and Kafka's own consumer skip them by their last offset.
 */
function readPastEmptyBatches(log: PartitionLog, offset: number, maxBytes: number): Buffer {
  let records = log.read(offset, maxBytes);
  for (;;) {
    let next: number | null = null;
    for (const {header} of iterateBatches(records)) {
      if (header.recordCount > 0) return records;
      next = header.lastOffset + 1;
    }
    if (next === null || next >= log.logEndOffset) return records;
    records = Buffer.concat([records, log.read(next, 1)]);
  }
}

/** The offset after the last whole batch of `records`, or null when there is none. */
function nextOffsetAfter(records: Buffer): number | null {
  let next: number | null = null;
  for (const {header} of iterateBatches(records)) next = header.lastOffset + 1;
  return next;
}

function readAll(req: FetchRequest, broker: BrokerContext, denied: Set<string>): {responses: FetchResponse['responses']; bytes: number; error: boolean} {
  let budget = req.maxBytes > 0 ? req.maxBytes : 0x7fffffff;
  let bytes = 0;
  let error = false;
  let first = true;
  const responses = req.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p): PartitionData => {
      if (denied.has(t.topic)) {
        error = true;
        return {partitionIndex: p.partition, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, abortedTransactions: [], records: EMPTY};
      }
      const log = broker.topics.partition(t.topic, p.partition);
      if (!log) {
        error = true;
        return {partitionIndex: p.partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, abortedTransactions: [], records: EMPTY};
      }
      const txns = req.isolationLevel === READ_COMMITTED ? broker.producers.forLog(log).txns : null;
      txns?.forgetBelow(log.logStartOffset);
      const lso = txns ? txns.lastStableOffset(log.logEndOffset) : log.logEndOffset;
      const base = {
        partitionIndex: p.partition,
        highWatermark: BigInt(log.logEndOffset),
        lastStableOffset: BigInt(lso),
        logStartOffset: BigInt(log.logStartOffset),
        abortedTransactions: [] as PartitionData['abortedTransactions'],
      };
      let records: Buffer = EMPTY;
      try {
        const limit = Math.min(p.partitionMaxBytes, budget);
        if (limit > 0 || first) {
          records = readPastEmptyBatches(log, Number(p.fetchOffset), Math.max(limit, 1));
          // Only the first batch of the response may exceed the limits.
          if (!first && records.length > limit) records = EMPTY;
          if (txns) {
            records = batchesBelow(records, lso);
            const end = nextOffsetAfter(records);
            if (end !== null) {
              base.abortedTransactions = txns
                .abortedIn(Number(p.fetchOffset), end)
                .map((a) => ({producerId: BigInt(a.producerId), firstOffset: BigInt(a.firstOffset)}));
            }
          }
        }
      } catch (e) {
        if (e instanceof KafkaProtocolError) {
          error = true;
          return {...base, errorCode: e.code, records: EMPTY};
        }
        throw e;
      }
      if (records.length > 0) first = false;
      budget -= records.length;
      bytes += records.length;
      return {...base, errorCode: ErrorCode.NONE, records};
    }),
  }));
  return {responses, bytes, error};
}

export const fetchHandler = defineHandler<FetchRequest, FetchResponse>({
  apiKey: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 11,
  request: FetchRequestSchema,
  response: FetchResponseSchema,
  async handle(req, ctx) {
    const {broker} = ctx;
    const deadline = Date.now() + Math.max(0, req.maxWaitMs);
    const denied = new Set(req.topics.map((t) => t.topic).filter((topic) => !allowed(ctx, 'READ', 'TOPIC', topic)));
    for (;;) {
      const result = readAll(req, broker, denied);
      const remaining = deadline - Date.now();
      if (result.error || result.bytes >= req.minBytes || remaining <= 0 || broker.closing) {
        return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses: result.responses};
      }
      await broker.appended.wait(remaining);
    }
  },
});
