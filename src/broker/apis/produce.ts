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
 * - Idempotent producers (producer id >= 0): epoch and sequence checks and deduplication of
 *   the last five batches per producer and partition (txn/producer-state.ts); a duplicate is
 *   answered with its original base offset, after the log is flushed like any append.
 * - Compacted topics refuse records without a key (INVALID_RECORD), as Kafka does.
 * - Transactional batches are accepted only into the producer's open transaction, for a
 *   partition it added (AddPartitionsToTxn), at its current epoch (else 48, 47 or 49); a plain
 *   batch from a producer with a transaction open on the partition → INVALID_TXN_STATE (48).
 */
import {ProduceRequestSchema, ProduceResponseSchema, type ProduceRequest, type ProduceResponse} from '../protocol/messages/produce.js';
import {ErrorCode, KafkaProtocolError} from '../protocol/errors.js';
import type {PartitionLog} from '../log/index.js';
import {assertKeyedRecords, isCompactPolicy} from '../log/compaction-policy.js';
import {topicConfigValue} from '../topic-config.js';
import {iterateBatches, validateBatches, type RecordBatchHeader} from '../protocol/record-batch.js';
import {defineHandler, NO_RESPONSE, type BrokerContext} from './types.js';
import {allowed} from '../security/authorize.js';

/** The headers of the first two batches: enough to refuse more than one. */
function firstBatches(records: Buffer): RecordBatchHeader[] {
  const headers: RecordBatchHeader[] = [];
  for (const {header} of iterateBatches(records)) if (headers.push(header) > 1) break;
  return headers;
}

/** Why a batch may not join (or bypass) a transaction here, or null. */
function transactionRefusal(
  broker: BrokerContext,
  transactionalId: string | null,
  batch: RecordBatchHeader,
  topic: string,
  partition: number,
  log: PartitionLog,
): {code: number; reason: string} | null {
  if (batch.isTransactional) return broker.txns.produceError(transactionalId, batch.producerId, batch.producerEpoch, topic, partition);
  if (batch.producerId >= 0 && broker.producers.forLog(log).txns.hasOpen(batch.producerId)) {
    return {code: ErrorCode.INVALID_TXN_STATE, reason: `producer ${batch.producerId} sent a non-transactional batch while its transaction is open here`};
  }
  return null;
}

type PartitionResponse = ProduceResponse['responses'][number]['partitionResponses'][number];

export const produceHandler = defineHandler<ProduceRequest, ProduceResponse>({
  apiKey: 0,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 7,
  request: ProduceRequestSchema,
  response: ProduceResponseSchema,
  async handle(req, ctx) {
    const {broker} = ctx;
    const acks = req.acks;
    const txnDenied = req.transactionalId !== null && !allowed(ctx, 'WRITE', 'TRANSACTIONAL_ID', req.transactionalId);
    const touched = new Set<PartitionLog>();
    const now = Date.now();
    const responses = req.topicData.map((topicData) => {
      const mayWrite = allowed(ctx, 'WRITE', 'TOPIC', topicData.name);
      return {
      name: topicData.name,
      partitionResponses: topicData.partitionData.map((pd): PartitionResponse => {
        const fail = (errorCode: number): PartitionResponse => ({index: pd.index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n});
        if (acks !== 0 && acks !== 1 && acks !== -1) return fail(ErrorCode.INVALID_REQUIRED_ACKS);
        if (txnDenied) return fail(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        if (!mayWrite) return fail(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
        const log = broker.topics.partition(topicData.name, pd.index);
        if (!log) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        if (!pd.records || pd.records.length === 0) return fail(ErrorCode.CORRUPT_MESSAGE);
        try {
          const headers = firstBatches(pd.records);
          // Produce v3+ carries exactly one batch per partition (Kafka answers INVALID_RECORD otherwise).
          if (headers.length > 1) return fail(ErrorCode.INVALID_RECORD);
          const batch = headers[0];
          const configs = broker.topics.get(topicData.name)!.configs;
          if (isCompactPolicy(topicConfigValue('cleanup.policy', configs, broker.config))) {
            assertKeyedRecords(pd.records, `${topicData.name}-${pd.index}`);
          }
          const refusal = batch ? transactionRefusal(broker, req.transactionalId, batch, topicData.name, pd.index, log) : null;
          if (refusal) {
            validateBatches(pd.records, 'client');
            broker.logger(`produce to ${topicData.name}-${pd.index} refused: ${refusal.reason}`);
            return fail(refusal.code);
          }
          const producers = batch && batch.producerId >= 0 ? broker.producers.forLog(log) : null;
          const verdict = producers?.check(batch!, log.logStartOffset);
          if (verdict && verdict.kind !== 'append') {
            // A corrupt batch gets its corruption error, not a sequence verdict on bad bytes.
            validateBatches(pd.records, 'client');
            if (verdict.kind === 'reject') {
              broker.logger(`produce to ${topicData.name}-${pd.index} refused: ${verdict.reason}`);
              return fail(verdict.code);
            }
            touched.add(log);
            return {index: pd.index, errorCode: ErrorCode.NONE, baseOffset: BigInt(verdict.baseOffset), logAppendTimeMs: -1n, logStartOffset: BigInt(log.logStartOffset)};
          }
          const result = log.append(pd.records, now);
          producers?.record(batch!, result.baseOffset);
          producers?.txns.onData(batch!, result.baseOffset);
          touched.add(log);
          return {
            index: pd.index,
            errorCode: ErrorCode.NONE,
            baseOffset: BigInt(result.baseOffset),
            logAppendTimeMs: BigInt(result.logAppendTime),
            logStartOffset: BigInt(log.logStartOffset),
          };
        } catch (error) {
          if (error instanceof KafkaProtocolError) {
            if (error.code === ErrorCode.INVALID_RECORD) broker.logger(`produce to ${topicData.name}-${pd.index} refused: ${error.message}`);
            return fail(error.code);
          }
          throw error;
        }
      }),
      };
    });
    if (touched.size > 0) broker.appended.notify();
    if (acks === 0) return NO_RESPONSE;
    await Promise.all([...touched].map((log) => log.flush()));
    return {responses, throttleTimeMs: 0};
  },
});
