/**
 * AddPartitionsToTxn (key 24), v0–v1 (v1 only changes throttling).
 * Adds partitions to the producer's transaction (starting it if none is open); a transactional
 * batch is accepted only for a partition added here. All or none: an unknown partition gets
 * UNKNOWN_TOPIC_OR_PARTITION and the others OPERATION_NOT_ATTEMPTED (55). A stale epoch →
 * INVALID_PRODUCER_EPOCH (47); another producer id → INVALID_PRODUCER_ID_MAPPING (49). While a
 * completion of the transaction is in progress the request waits for it (never 51, which
 * kafkajs does not retry here).
 */
import {
  AddPartitionsToTxnRequestSchema,
  AddPartitionsToTxnResponseSchema,
  type AddPartitionsToTxnRequest,
  type AddPartitionsToTxnResponse,
} from '../protocol/messages/add-partitions-to-txn.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';
import {ErrorCode} from '../protocol/errors.js';

export const addPartitionsToTxnHandler = defineHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>({
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 1,
  request: AddPartitionsToTxnRequestSchema,
  response: AddPartitionsToTxnResponseSchema,
  async handle(req, ctx) {
    const {broker} = ctx;
    const txnDenied = !allowed(ctx, 'WRITE', 'TRANSACTIONAL_ID', req.transactionalId);
    const refused = new Set(req.topics.map((t) => t.name).filter((name) => !allowed(ctx, 'WRITE', 'TOPIC', name)));
    if (txnDenied || refused.size > 0) {
      // As Kafka: nothing is added; refused topics say why, the rest OPERATION_NOT_ATTEMPTED.
      const code = (name: string) => (txnDenied ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED : refused.has(name) ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : ErrorCode.OPERATION_NOT_ATTEMPTED);
      return {throttleTimeMs: 0, results: req.topics.map((t) => ({name: t.name, results: t.partitions.map((p) => ({partitionIndex: p, errorCode: code(t.name)}))}))};
    }
    const wanted = req.topics.flatMap((t) => t.partitions.map((p): [string, number] => [t.name, p]));
    const codes = await broker.txns.addPartitions(req.transactionalId, Number(req.producerId), req.producerEpoch, wanted);
    let i = 0;
    return {
      throttleTimeMs: 0,
      results: req.topics.map((t) => ({name: t.name, results: t.partitions.map((p) => ({partitionIndex: p, errorCode: codes[i++]!}))})),
    };
  },
});
