/**
 * CreatePartitions (key 37), v0-v1.
 * v1 is byte-for-byte the same as v0. count is the new total number of partitions; a null
 * assignments list lets the broker place them. Kafka makes v2+ flexible.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const CreatePartitionsRequestSchema = defineMessage({
  name: 'CreatePartitionsRequest',
  apiKey: 37,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    {
      name: 'topics',
      type: '[]CreatePartitionsTopic',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {name: 'count', type: 'int32', versions: '0+'},
        {
          name: 'assignments',
          type: '[]CreatePartitionsAssignment',
          versions: '0+',
          nullableVersions: '0+',
          fields: [{name: 'brokerIds', type: '[]int32', versions: '0+'}],
        },
      ],
    },
    {name: 'timeoutMs', type: 'int32', versions: '0+'},
    {name: 'validateOnly', type: 'bool', versions: '0+'},
  ],
});

export const CreatePartitionsResponseSchema = defineMessage({
  name: 'CreatePartitionsResponse',
  apiKey: 37,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {
      name: 'results',
      type: '[]CreatePartitionsTopicResult',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {name: 'errorCode', type: 'int16', versions: '0+'},
        {name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null},
      ],
    },
  ],
});

export type CreatePartitionsRequest = Decoded<typeof CreatePartitionsRequestSchema>;
export type CreatePartitionsResponse = Encodable<typeof CreatePartitionsResponseSchema>;
