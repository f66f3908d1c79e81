/**
 * Produce (key 0), v3–v7: record batch v2 only.
 * - acks 0 (no response at all), 1 and -1 (both answered after the bytes are
 *   fsynced when the broker runs with fsync=always; one node, so 1 and -1 coincide);
 *   any other acks value → INVALID_REQUIRED_ACKS.
 * - Many topics and partitions per request; each partition succeeds or fails on its
 *   own and carries exactly one batch (more → INVALID_RECORD, as in Kafka).
 * - Every batch is validated (CRC-32C, lengths, magic) before anything is written;
 *   offsets are assigned by rewriting baseOffset; LogAppendTime topics get the
 *   broker's time in the batch (and in logAppendTimeMs).
 * - Produce never creates topics (Metadata does): unknown → UNKNOWN_TOPIC_OR_PARTITION.
 * - Transactional produce is not supported yet (see NOT-IMPLEMENTED.md).
 */
import {ProduceRequestSchema, ProduceResponseSchema, type ProduceRequest, type ProduceResponse} from '../protocol/messages/produce.js';
import {ErrorCode, KafkaProtocolError} from '../protocol/errors.js';
import type {PartitionLog} from '../log/index.js';
import {iterateBatches} from '../protocol/record-batch.js';
import {defineHandler, NO_RESPONSE} from './types.js';

function countBatches(records: Buffer): number {
  let n = 0;
  for (const _ of iterateBatches(records)) if (++n > 1) break;
  return n;
}

type PartitionResponse = ProduceResponse['responses'][number]['partitionResponses'][number];

export const produceHandler = defineHandler<ProduceRequest, ProduceResponse>({
  apiKey: 0,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 7,
  request: ProduceRequestSchema,
  response: ProduceResponseSchema,
  async handle(req, {broker}) {
    const acks = req.acks;
    const touched = new Set<PartitionLog>();
    const now = Date.now();
    const responses = req.topicData.map((topicData) => ({
      name: topicData.name,
      partitionResponses: topicData.partitionData.map((pd): PartitionResponse => {
        const fail = (errorCode: number): PartitionResponse => ({index: pd.index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n});
        if (acks !== 0 && acks !== 1 && acks !== -1) return fail(ErrorCode.INVALID_REQUIRED_ACKS);
        if (req.transactionalId !== null) return fail(ErrorCode.INVALID_TXN_STATE);
        const log = broker.topics.partition(topicData.name, pd.index);
        if (!log) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        if (!pd.records || pd.records.length === 0) return fail(ErrorCode.CORRUPT_MESSAGE);
        // Produce v3+ carries exactly one batch per partition (Kafka answers INVALID_RECORD otherwise).
        if (countBatches(pd.records) > 1) return fail(ErrorCode.INVALID_RECORD);
        try {
          const result = log.append(pd.records, now);
          touched.add(log);
          return {
            index: pd.index,
            errorCode: ErrorCode.NONE,
            baseOffset: BigInt(result.baseOffset),
            logAppendTimeMs: BigInt(result.logAppendTime),
            logStartOffset: BigInt(log.logStartOffset),
          };
        } catch (error) {
          if (error instanceof KafkaProtocolError) return fail(error.code);
          throw error;
        }
      }),
    }));
    if (touched.size > 0) broker.appended.notify();
    if (acks === 0) return NO_RESPONSE;
    await Promise.all([...touched].map((log) => log.flush()));
    return {responses, throttleTimeMs: 0};
  },
});
