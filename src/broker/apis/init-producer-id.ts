/**
 * InitProducerId (key 22), v0–v1 (v1 only changes throttling; v2+ is flexible and not offered).
 * - Null transactional id: an idempotent producer gets a fresh producer id at epoch 0. Ids come
 *   from a counter persisted in the data dir and are never reused, even across restarts.
 * - A transactional id: transactions are not implemented yet (see NOT-IMPLEMENTED.md); the
 *   answer is INVALID_REQUEST (42), which clients treat as fatal and report at once (kafkajs
 *   says the broker is incompatible and to see its log, where the reason is written) instead
 *   of an error they would retry forever.
 */
import {InitProducerIdRequestSchema, InitProducerIdResponseSchema, type InitProducerIdRequest, type InitProducerIdResponse} from '../protocol/messages/init-producer-id.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler} from './types.js';

export const initProducerIdHandler = defineHandler<InitProducerIdRequest, InitProducerIdResponse>({
  apiKey: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 1,
  request: InitProducerIdRequestSchema,
  response: InitProducerIdResponseSchema,
  handle(req, {broker, clientId}) {
    if (req.transactionalId !== null) {
      broker.logger(
        `InitProducerId for transactional id ${JSON.stringify(req.transactionalId)} from ${clientId ?? 'a client'} refused: ` +
          'transactions are not supported by this broker; use an idempotent producer (no transactional.id) or a real cluster',
      );
      return {throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, producerId: -1n, producerEpoch: -1};
    }
    const producerId = broker.producerIds.allocate();
    return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: BigInt(producerId), producerEpoch: 0};
  },
});
