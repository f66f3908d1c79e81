/**
 * EndTxn (key 26), v0-v1.
 * v1 is byte-for-byte the same as v0 (it only changes throttling behaviour).
 * Kafka makes v3+ flexible.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const EndTxnRequestSchema = defineMessage({
  name: 'EndTxnRequest',
  apiKey: 26,
  validVersions: '0-1',
  flexibleVersions: '3+',
  fields: [
    {name: 'transactionalId', type: 'string', versions: '0+'},
    {name: 'producerId', type: 'int64', versions: '0+'},
    {name: 'producerEpoch', type: 'int16', versions: '0+'},
    {name: 'committed', type: 'bool', versions: '0+'},
  ],
});

export const EndTxnResponseSchema = defineMessage({
  name: 'EndTxnResponse',
  apiKey: 26,
  validVersions: '0-1',
  flexibleVersions: '3+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {name: 'errorCode', type: 'int16', versions: '0+'},
  ],
});

export type EndTxnRequest = Decoded<typeof EndTxnRequestSchema>;
export type EndTxnResponse = Encodable<typeof EndTxnResponseSchema>;
