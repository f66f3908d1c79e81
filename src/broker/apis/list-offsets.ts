/**
 * ListOffsets (key 2), v0–v3.
 * - timestamp -2 → log start offset, -1 → log end, or with isolation_level 1 (v2+) the last
 *   stable offset (the first offset of the oldest open transaction), otherwise the first record whose timestamp is at or after it
 *   (offset -1 and timestamp -1 when there is none, like Kafka).
 * - v0 answers old_style_offsets (a one-element list), v1+ timestamp and offset.
 */
import {ListOffsetsRequestSchema, ListOffsetsResponseSchema, type ListOffsetsRequest, type ListOffsetsResponse} from '../protocol/messages/list-offsets.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';

const LATEST = -1n;
const EARLIEST = -2n;
const READ_COMMITTED = 1;

export const listOffsetsHandler = defineHandler<ListOffsetsRequest, ListOffsetsResponse>({
  apiKey: 2,
  name: 'ListOffsets',
  minVersion: 0,
  maxVersion: 3,
  request: ListOffsetsRequestSchema,
  response: ListOffsetsResponseSchema,
  handle(req, ctx) {
    const {broker} = ctx;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          if (!allowed(ctx, 'DESCRIBE', 'TOPIC', t.name)) {
            return {partitionIndex: p.partitionIndex, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, oldStyleOffsets: [], timestamp: -1n, offset: -1n};
          }
          const log = broker.topics.partition(t.name, p.partitionIndex);
          if (!log) {
            return {partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, oldStyleOffsets: [], timestamp: -1n, offset: -1n};
          }
          let offset: number;
          let timestamp = -1;
          if (p.timestamp === LATEST) {
            offset = req.isolationLevel === READ_COMMITTED ? broker.producers.forLog(log).txns.lastStableOffset(log.logEndOffset) : log.logEndOffset;
          }
          else if (p.timestamp === EARLIEST) offset = log.logStartOffset;
          else {
            const found = log.offsetForTimestamp(Number(p.timestamp));
            offset = found ? found.offset : -1;
            timestamp = found ? found.timestamp : -1;
          }
          return {
            partitionIndex: p.partitionIndex,
            errorCode: ErrorCode.NONE,
            oldStyleOffsets: offset >= 0 ? [BigInt(offset)] : [],
            timestamp: BigInt(timestamp),
            offset: BigInt(offset),
          };
        }),
      })),
    };
  },
});
