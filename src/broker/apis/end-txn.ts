/**
 * EndTxn (key 26), v0–v1 (v1 only changes throttling).
 * Commits or aborts the producer's transaction: PrepareCommit/PrepareAbort is made durable, a
 * marker is written to every partition in it (moving their last stable offset), staged offsets
 * reach their groups on commit, then Complete*; the answer comes after all of it.
 * A retry of the same result after completion (or for an empty transaction) → success; the
 * opposite result → INVALID_TXN_STATE (48). Stale epoch → 47.
 */
import {EndTxnRequestSchema, EndTxnResponseSchema, type EndTxnRequest, type EndTxnResponse} from '../protocol/messages/end-txn.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';
import {ErrorCode} from '../protocol/errors.js';

export const endTxnHandler = defineHandler<EndTxnRequest, EndTxnResponse>({
  apiKey: 26,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 1,
  request: EndTxnRequestSchema,
  response: EndTxnResponseSchema,
  async handle(req, ctx) {
    const {broker} = ctx;
    if (!allowed(ctx, 'WRITE', 'TRANSACTIONAL_ID', req.transactionalId)) return {throttleTimeMs: 0, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED};
    const errorCode = await broker.txns.endTxn(req.transactionalId, Number(req.producerId), req.producerEpoch, req.committed);
    return {throttleTimeMs: 0, errorCode};
  },
});
