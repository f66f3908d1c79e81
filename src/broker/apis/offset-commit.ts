/**
 * OffsetCommit (key 8), v0–v7. Members commit within their generation (stale →
 * ILLEGAL_GENERATION, unknown → UNKNOWN_MEMBER_ID, during CompletingRebalance →
 * REBALANCE_IN_PROGRESS); generation -1 with no member id commits for a group
 * without active members (admin tools, kcat, standalone consumers). Offsets are
 * fsynced before the answer; metadata over 4096 chars → OFFSET_METADATA_TOO_LARGE;
 * unknown partitions → UNKNOWN_TOPIC_OR_PARTITION. Retention time (v2–v4) is ignored:
 * offsets stay until the group or the topic is deleted.
 */
import {OffsetCommitRequestSchema, OffsetCommitResponseSchema, type OffsetCommitRequest, type OffsetCommitResponse} from '../protocol/messages/offset-commit.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';
import {ErrorCode} from '../protocol/errors.js';

export const offsetCommitHandler = defineHandler<OffsetCommitRequest, OffsetCommitResponse>({
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 7,
  request: OffsetCommitRequestSchema,
  response: OffsetCommitResponseSchema,
  async handle(req, ctx) {
    const {broker} = ctx;
    if (!allowed(ctx, 'READ', 'GROUP', req.groupId)) {
      return {throttleTimeMs: 0, topics: req.topics.map((t) => ({name: t.name, partitions: t.partitions.map((p) => ({partitionIndex: p.partitionIndex, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED}))}))};
    }
    // As Kafka: partitions of topics the member may not READ are refused, the others committed.
    const refused = new Set(req.topics.map((t) => t.name).filter((name) => !allowed(ctx, 'READ', 'TOPIC', name)));
    const items = req.topics
      .filter((t) => !refused.has(t.name))
      .flatMap((t) =>
        t.partitions.map((p) => ({topic: t.name, partition: p.partitionIndex, offset: Number(p.committedOffset), leaderEpoch: p.committedLeaderEpoch, metadata: p.committedMetadata})),
      );
    const codes = await broker.groups.commit(req.groupId, req.generationIdOrMemberEpoch, req.memberId, items, (t, p) => broker.topics.partition(t, p) !== undefined);
    let i = 0;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({partitionIndex: p.partitionIndex, errorCode: refused.has(t.name) ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : codes[i++]!})),
      })),
    };
  },
});
