/**
 * Metadata (key 3), v0-v6.
 * Request: in v0 an empty topic list means all topics; from v1 null means all topics and an
 * empty list none. v4 adds allowAutoTopicCreation; v5 and v6 are the same as v4.
 * Response: v1 adds broker rack, controllerId and isInternal; v2 clusterId; v3 throttleTimeMs;
 * v5 offlineReplicas per partition; v6 is the same as v5.
 * The broker answers only v0-v6, but the response fields follow Kafka up to v12 (leaderEpoch v7,
 * authorized operations v8, flexible v9, topicId v10, clusterAuthorizedOperations gone in v11,
 * nullable topic name v12) so MetadataResponseSchemaAllVersions can read and write what any
 * broker sends (the fault proxy rewrites those responses).
 */
import {ZERO_UUID} from '../primitives.js';
import {type Decoded, type Encodable, type FieldSpec, defineMessage} from '../schema.js';

/** Kafka's "not asked for" value of the authorized-operations bit fields. */
const UNKNOWN_AUTHORIZED_OPERATIONS = -2147483648;

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

const metadataResponseFields = [
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
      {name: 'name', type: 'string', versions: '0+', nullableVersions: '12+'},
      {name: 'topicId', type: 'uuid', versions: '10+', default: ZERO_UUID},
      {name: 'isInternal', type: 'bool', versions: '1+', default: false},
      {
        name: 'partitions',
        type: '[]MetadataResponsePartition',
        versions: '0+',
        fields: [
          {name: 'errorCode', type: 'int16', versions: '0+'},
          {name: 'partitionIndex', type: 'int32', versions: '0+'},
          {name: 'leaderId', type: 'int32', versions: '0+'},
          {name: 'leaderEpoch', type: 'int32', versions: '7+', default: -1},
          {name: 'replicaNodes', type: '[]int32', versions: '0+'},
          {name: 'isrNodes', type: '[]int32', versions: '0+'},
          {name: 'offlineReplicas', type: '[]int32', versions: '5+'},
        ],
      },
      {name: 'topicAuthorizedOperations', type: 'int32', versions: '8+', default: UNKNOWN_AUTHORIZED_OPERATIONS},
    ],
  },
  {name: 'clusterAuthorizedOperations', type: 'int32', versions: '8-10', default: UNKNOWN_AUTHORIZED_OPERATIONS},
] as const satisfies readonly FieldSpec[];

export const MetadataResponseSchema = defineMessage({
  name: 'MetadataResponse',
  apiKey: 3,
  validVersions: '0-6',
  flexibleVersions: '9+',
  fields: metadataResponseFields,
});

/** Every version Kafka defines, for reading responses from any broker (not what this one serves). */
export const MetadataResponseSchemaAllVersions = defineMessage({
  name: 'MetadataResponse',
  apiKey: 3,
  validVersions: '0-12',
  flexibleVersions: '9+',
  fields: metadataResponseFields,
});

export type MetadataRequest = Decoded<typeof MetadataRequestSchema>;
export type MetadataResponse = Encodable<typeof MetadataResponseSchema>;
