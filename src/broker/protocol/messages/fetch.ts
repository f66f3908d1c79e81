/**
 * Fetch (key 1), v4-v11.
 * Request: v4 added isolationLevel (record batch v2 only), v5 logStartOffset per partition,
 * v7 incremental fetch sessions (sessionId, sessionEpoch, forgottenTopicsData),
 * v9 currentLeaderEpoch, v10 zstd allowed, v11 rackId.
 * Response: v4 lastStableOffset and abortedTransactions, v5 logStartOffset, v7 top-level
 * errorCode and sessionId, v11 preferredReadReplica.
 * Kafka makes v12+ flexible (and v13 swaps topic names for ids); those fields are left out.
 * Answer abortedTransactions with [] rather than null: clients reading committed data expect a list.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const FetchRequestSchema = defineMessage({
  name: 'FetchRequest',
  apiKey: 1,
  validVersions: '4-11',
  flexibleVersions: '12+',
  fields: [
    {name: 'replicaId', type: 'int32', versions: '0-14', default: -1},
    {name: 'maxWaitMs', type: 'int32', versions: '0+'},
    {name: 'minBytes', type: 'int32', versions: '0+'},
    {name: 'maxBytes', type: 'int32', versions: '3+', default: 0x7fffffff},
    {name: 'isolationLevel', type: 'int8', versions: '4+', default: 0},
    {name: 'sessionId', type: 'int32', versions: '7+', default: 0},
    {name: 'sessionEpoch', type: 'int32', versions: '7+', default: -1},
    {
      name: 'topics',
      type: '[]FetchTopic',
      versions: '0+',
      fields: [
        {name: 'topic', type: 'string', versions: '0-12'},
        {
          name: 'partitions',
          type: '[]FetchPartition',
          versions: '0+',
          fields: [
            {name: 'partition', type: 'int32', versions: '0+'},
            {name: 'currentLeaderEpoch', type: 'int32', versions: '9+', default: -1},
            {name: 'fetchOffset', type: 'int64', versions: '0+'},
            {name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n},
            {name: 'partitionMaxBytes', type: 'int32', versions: '0+'},
          ],
        },
      ],
    },
    {
      name: 'forgottenTopicsData',
      type: '[]ForgottenTopic',
      versions: '7+',
      fields: [
        {name: 'topic', type: 'string', versions: '7-12'},
        {name: 'partitions', type: '[]int32', versions: '7+'},
      ],
    },
    {name: 'rackId', type: 'string', versions: '11+', default: ''},
  ],
});

export const FetchResponseSchema = defineMessage({
  name: 'FetchResponse',
  apiKey: 1,
  validVersions: '4-11',
  flexibleVersions: '12+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0},
    {name: 'errorCode', type: 'int16', versions: '7+', default: 0},
    {name: 'sessionId', type: 'int32', versions: '7+', default: 0},
    {
      name: 'responses',
      type: '[]FetchableTopicResponse',
      versions: '0+',
      fields: [
        {name: 'topic', type: 'string', versions: '0-12'},
        {
          name: 'partitions',
          type: '[]PartitionData',
          versions: '0+',
          fields: [
            {name: 'partitionIndex', type: 'int32', versions: '0+'},
            {name: 'errorCode', type: 'int16', versions: '0+'},
            {name: 'highWatermark', type: 'int64', versions: '0+'},
            {name: 'lastStableOffset', type: 'int64', versions: '4+', default: -1n},
            {name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n},
            {
              name: 'abortedTransactions',
              type: '[]AbortedTransaction',
              versions: '4+',
              nullableVersions: '4+',
              fields: [
                {name: 'producerId', type: 'int64', versions: '4+'},
                {name: 'firstOffset', type: 'int64', versions: '4+'},
              ],
            },
            {name: 'preferredReadReplica', type: 'int32', versions: '11+', default: -1},
            {name: 'records', type: 'records', versions: '0+', nullableVersions: '0+'},
          ],
        },
      ],
    },
  ],
});

export type FetchRequest = Decoded<typeof FetchRequestSchema>;
export type FetchResponse = Encodable<typeof FetchResponseSchema>;
