/**
 * TxnOffsetCommit (key 28), v0-v2.
 * v1 is byte-for-byte the same as v0; v2 adds committedLeaderEpoch per partition.
 * Kafka adds generation, member id and group instance id in v3 and makes v3+ flexible.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const TxnOffsetCommitRequestSchema = defineMessage({
  name: 'TxnOffsetCommitRequest',
  apiKey: 28,
  validVersions: '0-2',
  flexibleVersions: '3+',
  fields: [
    {name: 'transactionalId', type: 'string', versions: '0+'},
    {name: 'groupId', type: 'string', versions: '0+'},
    {name: 'producerId', type: 'int64', versions: '0+'},
    {name: 'producerEpoch', type: 'int16', versions: '0+'},
    {
      name: 'topics',
      type: '[]TxnOffsetCommitRequestTopic',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {
          name: 'partitions',
          type: '[]TxnOffsetCommitRequestPartition',
          versions: '0+',
          fields: [
            {name: 'partitionIndex', type: 'int32', versions: '0+'},
            {name: 'committedOffset', type: 'int64', versions: '0+'},
            {name: 'committedLeaderEpoch', type: 'int32', versions: '2+', default: -1},
            {name: 'committedMetadata', type: 'string', versions: '0+', nullableVersions: '0+'},
          ],
        },
      ],
    },
  ],
});

export const TxnOffsetCommitResponseSchema = defineMessage({
  name: 'TxnOffsetCommitResponse',
  apiKey: 28,
  validVersions: '0-2',
  flexibleVersions: '3+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {
      name: 'topics',
      type: '[]TxnOffsetCommitResponseTopic',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {
          name: 'partitions',
          type: '[]TxnOffsetCommitResponsePartition',
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

export type TxnOffsetCommitRequest = Decoded<typeof TxnOffsetCommitRequestSchema>;
export type TxnOffsetCommitResponse = Encodable<typeof TxnOffsetCommitResponseSchema>;
