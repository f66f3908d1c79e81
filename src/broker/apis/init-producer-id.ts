/**
 * InitProducerId (key 22), v0–v1 (v1 only changes throttling; v2+ is flexible and not offered,
 * so there is no KIP-360 epoch bump on request).
 * - Null transactional id: an idempotent producer gets a fresh producer id at epoch 0. Ids come
 *   from a counter persisted in the data dir and are never reused, even across restarts.
 * - A transactional id: its producer id (new, or the same as before with the epoch bumped, which
 *   fences older instances). An open transaction of the old epoch is aborted with markers and the
 *   answer is CONCURRENT_TRANSACTIONS (51): the client retries and gets the new epoch.
 *   A timeout outside 1 ms..15 min → INVALID_TRANSACTION_TIMEOUT (50).
 */
import {InitProducerIdRequestSchema, InitProducerIdResponseSchema, type InitProducerIdRequest, type InitProducerIdResponse} from '../protocol/messages/init-producer-id.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler} from './types.js';
import {allowed, allowedOnCluster, mayWriteSomeTopic} from '../security/authorize.js';

export const initProducerIdHandler = defineHandler<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 1,
  request: InitProducerIdRequestSchema,
  response: InitProducerIdResponseSchema,
  async handle(req, ctx) {
    const {broker} = ctx;
    if (req.transactionalId !== null && !allowed(ctx, 'WRITE', 'TRANSACTIONAL_ID', req.transactionalId)) {
      return {throttleTimeMs: 0, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, producerId: -1n, producerEpoch: -1};
    }
    // As Kafka 3.0+: an idempotent producer needs IDEMPOTENT_WRITE on the cluster or WRITE on some topic.
    if (req.transactionalId === null && !allowedOnCluster(ctx, 'IDEMPOTENT_WRITE') && !mayWriteSomeTopic(ctx)) {
      return {throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, producerId: -1n, producerEpoch: -1};
    }
    if (req.transactionalId !== null) {
      const r = await broker.txns.initProducerId(req.transactionalId, req.transactionTimeoutMs);
      return {throttleTimeMs: 0, errorCode: r.errorCode, producerId: BigInt(r.producerId), producerEpoch: r.producerEpoch};
    }
    const producerId = broker.producerIds.allocate();
    return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: BigInt(producerId), producerEpoch: 0};
  },
});
