/**
 * ListOffsets (key 2), v0-v3.
 * Request: v0 carries maxNumOffsets per partition; v1 drops it (one offset per partition);
 * v2 adds isolationLevel; v3 is the same as v2.
 * Response: v0 answers an oldStyleOffsets list; v1 replaces it with timestamp + offset;
 * v2 adds throttleTimeMs; v3 is the same as v2.
 * Timestamps -1 (latest) and -2 (earliest) are the special queries clients use.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const ListOffsetsRequestSchema = defineMessage({
  name: 'ListOffsetsRequest',
  apiKey: 2,
  validVersions: '0-3',
  flexibleVersions: '6+',
  fields: [
    {name: 'replicaId', type: 'int32', versions: '0+'},
    {name: 'isolationLevel', type: 'int8', versions: '2+', default: 0},
    {
      name: 'topics',
      type: '[]ListOffsetsTopic',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {
          name: 'partitions',
          type: '[]ListOffsetsPartition',
          versions: '0+',
          fields: [
            {name: 'partitionIndex', type: 'int32', versions: '0+'},
            {name: 'timestamp', type: 'int64', versions: '0+'},
            {name: 'maxNumOffsets', type: 'int32', versions: '0', default: 1},
          ],
        },
      ],
    },
  ],
});

export const ListOffsetsResponseSchema = defineMessage({
  name: 'ListOffsetsResponse',
  apiKey: 2,
  validVersions: '0-3',
  flexibleVersions: '6+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '2+', default: 0},
    {
      name: 'topics',
      type: '[]ListOffsetsTopicResponse',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {
          name: 'partitions',
          type: '[]ListOffsetsPartitionResponse',
          versions: '0+',
          fields: [
            {name: 'partitionIndex', type: 'int32', versions: '0+'},
            {name: 'errorCode', type: 'int16', versions: '0+'},
            {name: 'oldStyleOffsets', type: '[]int64', versions: '0'},
            {name: 'timestamp', type: 'int64', versions: '1+', default: -1n},
            {name: 'offset', type: 'int64', versions: '1+', default: -1n},
          ],
        },
      ],
    },
  ],
});

export type ListOffsetsRequest = Decoded<typeof ListOffsetsRequestSchema>;
export type ListOffsetsResponse = Encodable<typeof ListOffsetsResponseSchema>;
