/**
 * Metadata (key 3), v0-v6.
 * Request: in v0 an empty topic list means all topics; from v1 null means all topics and an
 * empty list none. v4 adds allowAutoTopicCreation; v5 and v6 are the same as v4.
 * Response: v1 adds broker rack, controllerId and isInternal; v2 clusterId; v3 throttleTimeMs;
 * v5 offlineReplicas per partition; v6 is the same as v5.
 * Kafka adds leaderEpoch in v7 and authorized operations in v8; those are left out.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const MetadataRequestSchema = defineMessage({
  name: 'MetadataRequest',
  apiKey: 3,
  validVersions: '0-6',
  flexibleVersions: '9+',
  fields: [
    {
      name: 'topics',
      type: '[]MetadataRequestTopic',
      versions: '0+',
      nullableVersions: '1+',
      fields: [{name: 'name', type: 'string', versions: '0+'}],
    },
    {name: 'allowAutoTopicCreation', type: 'bool', versions: '4+', default: true},
  ],
});

export const MetadataResponseSchema = defineMessage({
  name: 'MetadataResponse',
  apiKey: 3,
  validVersions: '0-6',
  flexibleVersions: '9+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '3+', default: 0},
    {
      name: 'brokers',
      type: '[]MetadataResponseBroker',
      versions: '0+',
      fields: [
        {name: 'nodeId', type: 'int32', versions: '0+'},
        {name: 'host', type: 'string', versions: '0+'},
        {name: 'port', type: 'int32', versions: '0+'},
        {name: 'rack', type: 'string', versions: '1+', nullableVersions: '1+', default: null},
      ],
    },
    {name: 'clusterId', type: 'string', versions: '2+', nullableVersions: '2+', default: null},
    {name: 'controllerId', type: 'int32', versions: '1+', default: -1},
    {
      name: 'topics',
      type: '[]MetadataResponseTopic',
      versions: '0+',
      fields: [
        {name: 'errorCode', type: 'int16', versions: '0+'},
        {name: 'name', type: 'string', versions: '0+'},
        {name: 'isInternal', type: 'bool', versions: '1+', default: false},
        {
          name: 'partitions',
          type: '[]MetadataResponsePartition',
          versions: '0+',
          fields: [
            {name: 'errorCode', type: 'int16', versions: '0+'},
            {name: 'partitionIndex', type: 'int32', versions: '0+'},
            {name: 'leaderId', type: 'int32', versions: '0+'},
            {name: 'replicaNodes', type: '[]int32', versions: '0+'},
            {name: 'isrNodes', type: '[]int32', versions: '0+'},
            {name: 'offlineReplicas', type: '[]int32', versions: '5+'},
          ],
        },
      ],
    },
  ],
});

export type MetadataRequest = Decoded<typeof MetadataRequestSchema>;
export type MetadataResponse = Encodable<typeof MetadataResponseSchema>;
