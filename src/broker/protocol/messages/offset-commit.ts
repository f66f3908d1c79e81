/**
 * OffsetCommit (key 8), v0-v7.
 * Request: v1 adds generation, memberId and a per-partition commitTimestamp; v2 drops
 * commitTimestamp for a request-wide retentionTimeMs; v3-v4 are the same as v2; v5 drops
 * retentionTimeMs; v6 adds committedLeaderEpoch; v7 adds groupInstanceId.
 * Response: v3 adds throttleTimeMs; otherwise unchanged.
 * Kafka makes v8+ flexible. It renamed GenerationId to GenerationIdOrMemberEpoch (KIP-848);
 * for classic groups it is simply the generation id.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const OffsetCommitRequestSchema = defineMessage({
  name: 'OffsetCommitRequest',
  apiKey: 8,
  validVersions: '0-7',
  flexibleVersions: '8+',
  fields: [
    {name: 'groupId', type: 'string', versions: '0+'},
    {name: 'generationIdOrMemberEpoch', type: 'int32', versions: '1+', default: -1},
    {name: 'memberId', type: 'string', versions: '1+', default: ''},
    {name: 'groupInstanceId', type: 'string', versions: '7+', nullableVersions: '7+', default: null},
    {name: 'retentionTimeMs', type: 'int64', versions: '2-4', default: -1n},
    {
      name: 'topics',
      type: '[]OffsetCommitRequestTopic',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {
          name: 'partitions',
          type: '[]OffsetCommitRequestPartition',
          versions: '0+',
          fields: [
            {name: 'partitionIndex', type: 'int32', versions: '0+'},
            {name: 'committedOffset', type: 'int64', versions: '0+'},
            {name: 'committedLeaderEpoch', type: 'int32', versions: '6+', default: -1},
            {name: 'commitTimestamp', type: 'int64', versions: '1', default: -1n},
            {name: 'committedMetadata', type: 'string', versions: '0+', nullableVersions: '0+'},
          ],
        },
      ],
    },
  ],
});

export const OffsetCommitResponseSchema = defineMessage({
  name: 'OffsetCommitResponse',
  apiKey: 8,
  validVersions: '0-7',
  flexibleVersions: '8+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '3+', default: 0},
    {
      name: 'topics',
      type: '[]OffsetCommitResponseTopic',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {
          name: 'partitions',
          type: '[]OffsetCommitResponsePartition',
          versions: '0+',
          fields: [
            {name: 'partitionIndex', type: 'int32', versions: '0+'},
            {name: 'errorCode', type: 'int16', versions: '0+'},
          ],
        },
      ],
    },
  ],
});

export type OffsetCommitRequest = Decoded<typeof OffsetCommitRequestSchema>;
export type OffsetCommitResponse = Encodable<typeof OffsetCommitResponseSchema>;
