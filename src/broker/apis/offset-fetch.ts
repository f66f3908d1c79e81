/**
 * OffsetFetch (key 9), v0–v5. Committed offset and metadata per partition
 * (-1 and "" where nothing was committed); a null topic list (v2+) returns every
 * partition the group committed.
 */
import {OffsetFetchRequestSchema, OffsetFetchResponseSchema, type OffsetFetchRequest, type OffsetFetchResponse} from '../protocol/messages/offset-fetch.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';

export const offsetFetchHandler = defineHandler<OffsetFetchRequest, OffsetFetchResponse>({
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 0,
  maxVersion: 5,
  request: OffsetFetchRequestSchema,
  response: OffsetFetchResponseSchema,
  handle(req, ctx) {
    const {broker} = ctx;
    if (!allowed(ctx, 'DESCRIBE', 'GROUP', req.groupId)) {
      // v0–v1 have no top-level error: each asked-for partition carries it.
      const topics = (req.topics ?? []).map((t) => ({name: t.name, partitions: t.partitionIndexes.map((partitionIndex) => ({partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED}))}));
      return {throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, topics};
    }
    const wanted = req.topics === null ? null : req.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({topic: t.name, partition})));
    const found = broker.groups.committed(req.groupId, wanted);
    const byTopic = new Map<string, OffsetFetchResponse['topics'][number]['partitions']>();
    for (const f of found) {
      const list = byTopic.get(f.topic) ?? [];
      const mayDescribe = allowed(ctx, 'DESCRIBE', 'TOPIC', f.topic);
      if (!mayDescribe && req.topics === null) continue; // "all topics": only those it may see
      list.push({
        partitionIndex: f.partition,
        committedOffset: mayDescribe ? BigInt(f.committed?.offset ?? -1) : -1n,
        committedLeaderEpoch: f.committed?.leaderEpoch ?? -1,
        metadata: f.committed?.metadata ?? '',
        errorCode: mayDescribe ? ErrorCode.NONE : ErrorCode.TOPIC_AUTHORIZATION_FAILED,
      });
      byTopic.set(f.topic, list);
    }
    return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, topics: [...byTopic].map(([name, partitions]) => ({name, partitions}))};
  },
});
