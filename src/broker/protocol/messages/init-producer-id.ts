/**
 * InitProducerId (key 22), v0-v1.
 * v1 is byte-for-byte the same as v0 (it only changes throttling behaviour).
 * A null transactionalId asks for an idempotent (non-transactional) producer id.
 * Kafka makes v2+ flexible and adds producerId/producerEpoch to the request in v3 (left out).
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const InitProducerIdRequestSchema = defineMessage({
  name: 'InitProducerIdRequest',
  apiKey: 22,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    {name: 'transactionalId', type: 'string', versions: '0+', nullableVersions: '0+'},
    {name: 'transactionTimeoutMs', type: 'int32', versions: '0+'},
  ],
});

export const InitProducerIdResponseSchema = defineMessage({
  name: 'InitProducerIdResponse',
  apiKey: 22,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {name: 'errorCode', type: 'int16', versions: '0+'},
    {name: 'producerId', type: 'int64', versions: '0+', default: -1n},
    {name: 'producerEpoch', type: 'int16', versions: '0+'},
  ],
});

export type InitProducerIdRequest = Decoded<typeof InitProducerIdRequestSchema>;
export type InitProducerIdResponse = Encodable<typeof InitProducerIdResponseSchema>;
