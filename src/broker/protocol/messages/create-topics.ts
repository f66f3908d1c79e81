/**
 * CreateTopics (key 19), v0-v4.
 * Request: v1 adds validateOnly; v2-v3 are the same as v1; v4 lets numPartitions and
 * replicationFactor be -1 (broker defaults) even without assignments (KIP-464).
 * Response: v1 adds errorMessage per topic; v2 throttleTimeMs; v3-v4 are the same as v2.
 * Kafka makes v5+ flexible and returns configs from v5 (left out).
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const CreateTopicsRequestSchema = defineMessage({
  name: 'CreateTopicsRequest',
  apiKey: 19,
  validVersions: '0-4',
  flexibleVersions: '5+',
  fields: [
    {
      name: 'topics',
      type: '[]CreatableTopic',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {name: 'numPartitions', type: 'int32', versions: '0+'},
        {name: 'replicationFactor', type: 'int16', versions: '0+'},
        {
          name: 'assignments',
          type: '[]CreatableReplicaAssignment',
          versions: '0+',
          fields: [
            {name: 'partitionIndex', type: 'int32', versions: '0+'},
            {name: 'brokerIds', type: '[]int32', versions: '0+'},
          ],
        },
        {
          name: 'configs',
          type: '[]CreatableTopicConfig',
          versions: '0+',
          fields: [
            {name: 'name', type: 'string', versions: '0+'},
            {name: 'value', type: 'string', versions: '0+', nullableVersions: '0+'},
          ],
        },
      ],
    },
    {name: 'timeoutMs', type: 'int32', versions: '0+', default: 60000},
    {name: 'validateOnly', type: 'bool', versions: '1+', default: false},
  ],
});

export const CreateTopicsResponseSchema = defineMessage({
  name: 'CreateTopicsResponse',
  apiKey: 19,
  validVersions: '0-4',
  flexibleVersions: '5+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '2+', default: 0},
    {
      name: 'topics',
      type: '[]CreatableTopicResult',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {name: 'errorCode', type: 'int16', versions: '0+'},
        {name: 'errorMessage', type: 'string', versions: '1+', nullableVersions: '0+'},
      ],
    },
  ],
});

export type CreateTopicsRequest = Decoded<typeof CreateTopicsRequestSchema>;
export type CreateTopicsResponse = Encodable<typeof CreateTopicsResponseSchema>;
