/**
 * OffsetFetch (key 9), v0–v5. Committed offset and metadata per partition
 * (-1 and "" where nothing was committed); a null topic list (v2+) returns every
 * partition the group committed.
 */
import {OffsetFetchRequestSchema, OffsetFetchResponseSchema, type OffsetFetchRequest, type OffsetFetchResponse} from '../protocol/messages/offset-fetch.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler} from './types.js';

export const offsetFetchHandler = defineHandler<OffsetFetchRequest, OffsetFetchResponse>({
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 0,
  maxVersion: 5,
  request: OffsetFetchRequestSchema,
  response: OffsetFetchResponseSchema,
  handle(req, {broker}) {
    const wanted = req.topics === null ? null : req.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({topic: t.name, partition})));
    const found = broker.groups.committed(req.groupId, wanted);
    const byTopic = new Map<string, OffsetFetchResponse['topics'][number]['partitions']>();
    for (const f of found) {
      const list = byTopic.get(f.topic) ?? [];
      list.push({
        partitionIndex: f.partition,
        committedOffset: BigInt(f.committed?.offset ?? -1),
        committedLeaderEpoch: f.committed?.leaderEpoch ?? -1,
        metadata: f.committed?.metadata ?? '',
        errorCode: ErrorCode.NONE,
      });
      byTopic.set(f.topic, list);
    }
    return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, topics: [...byTopic].map(([name, partitions]) => ({name, partitions}))};
  },
});
