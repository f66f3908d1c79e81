/**
 * OffsetFetch (key 9), v0-v5.
 * Request: v0 read offsets from ZooKeeper in Kafka (we serve it like v1); v2 allows a null
 * topic list meaning "every partition the group committed"; v3-v5 are the same as v2.
 * Response: v2 adds a top-level errorCode, v3 throttleTimeMs, v5 committedLeaderEpoch.
 * Kafka makes v6+ flexible and batches several groups from v8; those fields are left out.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const OffsetFetchRequestSchema = defineMessage({
  name: 'OffsetFetchRequest',
  apiKey: 9,
  validVersions: '0-5',
  flexibleVersions: '6+',
  fields: [
    {name: 'groupId', type: 'string', versions: '0-7'},
    {
      name: 'topics',
      type: '[]OffsetFetchRequestTopic',
      versions: '0-7',
      nullableVersions: '2-7',
      fields: [
        {name: 'name', type: 'string', versions: '0-7'},
        {name: 'partitionIndexes', type: '[]int32', versions: '0-7'},
      ],
    },
  ],
});

export const OffsetFetchResponseSchema = defineMessage({
  name: 'OffsetFetchResponse',
  apiKey: 9,
  validVersions: '0-5',
  flexibleVersions: '6+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '3+', default: 0},
    {
      name: 'topics',
      type: '[]OffsetFetchResponseTopic',
      versions: '0-7',
      fields: [
        {name: 'name', type: 'string', versions: '0-7'},
        {
          name: 'partitions',
          type: '[]OffsetFetchResponsePartition',
          versions: '0-7',
          fields: [
            {name: 'partitionIndex', type: 'int32', versions: '0-7'},
            {name: 'committedOffset', type: 'int64', versions: '0-7'},
            {name: 'committedLeaderEpoch', type: 'int32', versions: '5-7', default: -1},
            {name: 'metadata', type: 'string', versions: '0-7', nullableVersions: '0-7'},
            {name: 'errorCode', type: 'int16', versions: '0-7'},
          ],
        },
      ],
    },
    {name: 'errorCode', type: 'int16', versions: '2-7', default: 0},
  ],
});

export type OffsetFetchRequest = Decoded<typeof OffsetFetchRequestSchema>;
export type OffsetFetchResponse = Encodable<typeof OffsetFetchResponseSchema>;
