/**
 * DeleteRecords (key 21), v0-v1.
 * v1 is byte-for-byte the same as v0 (it only changes throttling behaviour).
 * Offset -1 means "up to the high watermark". Kafka makes v2+ flexible.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const DeleteRecordsRequestSchema = defineMessage({
  name: 'DeleteRecordsRequest',
  apiKey: 21,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    {
      name: 'topics',
      type: '[]DeleteRecordsTopic',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {
          name: 'partitions',
          type: '[]DeleteRecordsPartition',
          versions: '0+',
          fields: [
            {name: 'partitionIndex', type: 'int32', versions: '0+'},
            {name: 'offset', type: 'int64', versions: '0+'},
          ],
        },
      ],
    },
    {name: 'timeoutMs', type: 'int32', versions: '0+'},
  ],
});

export const DeleteRecordsResponseSchema = defineMessage({
  name: 'DeleteRecordsResponse',
  apiKey: 21,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {
      name: 'topics',
      type: '[]DeleteRecordsTopicResult',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {
          name: 'partitions',
          type: '[]DeleteRecordsPartitionResult',
          versions: '0+',
          fields: [
            {name: 'partitionIndex', type: 'int32', versions: '0+'},
            {name: 'lowWatermark', type: 'int64', versions: '0+'},
            {name: 'errorCode', type: 'int16', versions: '0+'},
          ],
        },
      ],
    },
  ],
});

export type DeleteRecordsRequest = Decoded<typeof DeleteRecordsRequestSchema>;
export type DeleteRecordsResponse = Encodable<typeof DeleteRecordsResponseSchema>;
