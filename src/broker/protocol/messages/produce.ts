/**
 * Produce (key 0), v3-v7.
 * Request: v3 added transactionalId and requires record batch format v2; v4-v7 are the same
 * bytes (v4 may answer KAFKA_STORAGE_ERROR, v7 allows zstd batches).
 * Response: v1 added throttleTimeMs, v2 logAppendTimeMs, v5 logStartOffset.
 * Kafka makes v9+ flexible; fields of v8+ are left out since they are never on our wire.
 * acks=0 means the client expects no response at all.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const ProduceRequestSchema = defineMessage({
  name: 'ProduceRequest',
  apiKey: 0,
  validVersions: '3-7',
  flexibleVersions: '9+',
  fields: [
    {name: 'transactionalId', type: 'string', versions: '3+', nullableVersions: '3+', default: null},
    {name: 'acks', type: 'int16', versions: '0+'},
    {name: 'timeoutMs', type: 'int32', versions: '0+'},
    {
      name: 'topicData',
      type: '[]TopicProduceData',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {
          name: 'partitionData',
          type: '[]PartitionProduceData',
          versions: '0+',
          fields: [
            {name: 'index', type: 'int32', versions: '0+'},
            {name: 'records', type: 'records', versions: '0+', nullableVersions: '0+'},
          ],
        },
      ],
    },
  ],
});

export const ProduceResponseSchema = defineMessage({
  name: 'ProduceResponse',
  apiKey: 0,
  validVersions: '3-7',
  flexibleVersions: '9+',
  fields: [
    {
      name: 'responses',
      type: '[]TopicProduceResponse',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {
          name: 'partitionResponses',
          type: '[]PartitionProduceResponse',
          versions: '0+',
          fields: [
            {name: 'index', type: 'int32', versions: '0+'},
            {name: 'errorCode', type: 'int16', versions: '0+'},
            {name: 'baseOffset', type: 'int64', versions: '0+'},
            {name: 'logAppendTimeMs', type: 'int64', versions: '2+', default: -1n},
            {name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n},
          ],
        },
      ],
    },
    {name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0},
  ],
});

export type ProduceRequest = Decoded<typeof ProduceRequestSchema>;
export type ProduceResponse = Encodable<typeof ProduceResponseSchema>;
