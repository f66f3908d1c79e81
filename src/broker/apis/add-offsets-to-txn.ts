/**
 * AddOffsetsToTxn (key 25), v0–v1 (v1 only changes throttling).
 * Adds a consumer group to the producer's transaction (starting it if none is open), so
 * TxnOffsetCommit may stage that group's offsets. Errors as AddPartitionsToTxn.
 */
import {
  AddOffsetsToTxnRequestSchema,
  AddOffsetsToTxnResponseSchema,
  type AddOffsetsToTxnRequest,
  type AddOffsetsToTxnResponse,
} from '../protocol/messages/add-offsets-to-txn.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';
import {ErrorCode} from '../protocol/errors.js';

export const addOffsetsToTxnHandler = defineHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>({
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 1,
  request: AddOffsetsToTxnRequestSchema,
  response: AddOffsetsToTxnResponseSchema,
  async handle(req, ctx) {
    const {broker} = ctx;
    if (!allowed(ctx, 'WRITE', 'TRANSACTIONAL_ID', req.transactionalId)) return {throttleTimeMs: 0, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED};
    if (!allowed(ctx, 'READ', 'GROUP', req.groupId)) return {throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED};
    const errorCode = await broker.txns.addOffsets(req.transactionalId, Number(req.producerId), req.producerEpoch, req.groupId);
    return {throttleTimeMs: 0, errorCode};
  },
});
