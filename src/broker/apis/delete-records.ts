/**
 * DeleteRecords (key 21), v0–v1. Moves a partition's log start offset forward to
 * `offset` (-1 = the high watermark); whole segments below it are removed.
 * Beyond the high watermark → OFFSET_OUT_OF_RANGE. Answers the new low watermark.
 */
import {DeleteRecordsRequestSchema, DeleteRecordsResponseSchema, type DeleteRecordsRequest, type DeleteRecordsResponse} from '../protocol/messages/delete-records.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler} from './types.js';
import {failureOf} from './admin-util.js';
import {allowed} from '../security/authorize.js';

export const deleteRecordsHandler = defineHandler<DeleteRecordsRequest, DeleteRecordsResponse>({
  apiKey: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 1,
  request: DeleteRecordsRequestSchema,
  response: DeleteRecordsResponseSchema,
  handle(req, ctx) {
    const {broker} = ctx;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          if (!allowed(ctx, 'DELETE', 'TOPIC', t.name)) return {partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED};
          const log = broker.topics.partition(t.name, p.partitionIndex);
          if (!log) return {partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION};
          const target = p.offset === -1n ? log.logEndOffset : Number(p.offset);
          if (target < 0 || target > log.logEndOffset) {
            return {partitionIndex: p.partitionIndex, lowWatermark: BigInt(log.logStartOffset), errorCode: ErrorCode.OFFSET_OUT_OF_RANGE};
          }
          try {
            if (target > log.logStartOffset) log.deleteRecordsBefore(target);
            return {partitionIndex: p.partitionIndex, lowWatermark: BigInt(log.logStartOffset), errorCode: ErrorCode.NONE};
          } catch (error) {
            return {partitionIndex: p.partitionIndex, lowWatermark: BigInt(log.logStartOffset), errorCode: failureOf(error).errorCode};
          }
        }),
      })),
    };
  },
});
