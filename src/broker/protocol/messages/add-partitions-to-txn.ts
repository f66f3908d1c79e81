/**
 * AddPartitionsToTxn (key 24), v0-v1.
 * v1 is byte-for-byte the same as v0 (it only changes throttling behaviour).
 * Kafka makes v3+ flexible and batches many transactional ids in v4 (left out).
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const AddPartitionsToTxnRequestSchema = defineMessage({
  name: 'AddPartitionsToTxnRequest',
  apiKey: 24,
  validVersions: '0-1',
  flexibleVersions: '3+',
  fields: [
    {name: 'transactionalId', type: 'string', versions: '0+'},
    {name: 'producerId', type: 'int64', versions: '0+'},
    {name: 'producerEpoch', type: 'int16', versions: '0+'},
    {
      name: 'topics',
      type: '[]AddPartitionsToTxnTopic',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {name: 'partitions', type: '[]int32', versions: '0+'},
      ],
    },
  ],
});

export const AddPartitionsToTxnResponseSchema = defineMessage({
  name: 'AddPartitionsToTxnResponse',
  apiKey: 24,
  validVersions: '0-1',
  flexibleVersions: '3+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {
      name: 'results',
      type: '[]AddPartitionsToTxnTopicResult',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {
          name: 'results',
          type: '[]AddPartitionsToTxnPartitionResult',
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

export type AddPartitionsToTxnRequest = Decoded<typeof AddPartitionsToTxnRequestSchema>;
export type AddPartitionsToTxnResponse = Encodable<typeof AddPartitionsToTxnResponseSchema>;
