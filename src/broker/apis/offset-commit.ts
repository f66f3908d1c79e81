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

export const offsetCommitHandler = defineHandler<OffsetCommitRequest, OffsetCommitResponse>({
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 7,
  request: OffsetCommitRequestSchema,
  response: OffsetCommitResponseSchema,
  async handle(req, {broker}) {
    const items = req.topics.flatMap((t) =>
      t.partitions.map((p) => ({topic: t.name, partition: p.partitionIndex, offset: Number(p.committedOffset), leaderEpoch: p.committedLeaderEpoch, metadata: p.committedMetadata})),
    );
    const codes = await broker.groups.commit(req.groupId, req.generationIdOrMemberEpoch, req.memberId, items, (t, p) => broker.topics.partition(t, p) !== undefined);
    let i = 0;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({name: t.name, partitions: t.partitions.map((p) => ({partitionIndex: p.partitionIndex, errorCode: codes[i++]!}))})),
    };
  },
});
