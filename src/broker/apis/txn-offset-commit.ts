/**
 * TxnOffsetCommit (key 28), v0–v2 (v1 only changes throttling; v2 adds the leader epoch).
 * Stages consumer group offsets in the producer's open transaction (the group must have been
 * added with AddOffsetsToTxn): OffsetFetch sees them only after EndTxn commits, and never if it
 * aborts. Stale epoch → 47; no open transaction with that group → INVALID_TXN_STATE (48).
 */
import {
  TxnOffsetCommitRequestSchema,
  TxnOffsetCommitResponseSchema,
  type TxnOffsetCommitRequest,
  type TxnOffsetCommitResponse,
} from '../protocol/messages/txn-offset-commit.js';
import type {OffsetCommitItem} from '../groups/coordinator.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';
import {ErrorCode} from '../protocol/errors.js';

export const txnOffsetCommitHandler = defineHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponse>({
  apiKey: 28,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 2,
  request: TxnOffsetCommitRequestSchema,
  response: TxnOffsetCommitResponseSchema,
  async handle(req, ctx) {
    const {broker} = ctx;
    const denied = !allowed(ctx, 'WRITE', 'TRANSACTIONAL_ID', req.transactionalId)
      ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
      : !allowed(ctx, 'READ', 'GROUP', req.groupId)
        ? ErrorCode.GROUP_AUTHORIZATION_FAILED
        : req.topics.some((t) => !allowed(ctx, 'READ', 'TOPIC', t.name))
          ? ErrorCode.TOPIC_AUTHORIZATION_FAILED
          : null;
    if (denied !== null) return {throttleTimeMs: 0, topics: req.topics.map((t) => ({name: t.name, partitions: t.partitions.map((p) => ({partitionIndex: p.partitionIndex, errorCode: denied}))}))};
    const items: OffsetCommitItem[] = req.topics.flatMap((t) =>
      t.partitions.map((p) => ({topic: t.name, partition: p.partitionIndex, offset: Number(p.committedOffset), leaderEpoch: p.committedLeaderEpoch, metadata: p.committedMetadata})),
    );
    const codes = await broker.txns.stageOffsets(req.transactionalId, req.groupId, Number(req.producerId), req.producerEpoch, items);
    let i = 0;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({name: t.name, partitions: t.partitions.map((p) => ({partitionIndex: p.partitionIndex, errorCode: codes[i++]!}))})),
    };
  },
});
