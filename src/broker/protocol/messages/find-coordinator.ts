/**
 * FindCoordinator (key 10), v0-v2.
 * Request: v0 has only the key (a group id); v1 adds keyType (0 group, 1 transaction);
 * v2 is the same as v1.
 * Response: v1 adds throttleTimeMs and errorMessage; v2 is the same as v1.
 * Kafka makes v3+ flexible and batches keys from v4; those fields are left out.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const FindCoordinatorRequestSchema = defineMessage({
  name: 'FindCoordinatorRequest',
  apiKey: 10,
  validVersions: '0-2',
  flexibleVersions: '3+',
  fields: [
    {name: 'key', type: 'string', versions: '0-3'},
    {name: 'keyType', type: 'int8', versions: '1+', default: 0},
  ],
});

export const FindCoordinatorResponseSchema = defineMessage({
  name: 'FindCoordinatorResponse',
  apiKey: 10,
  validVersions: '0-2',
  flexibleVersions: '3+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0},
    {name: 'errorCode', type: 'int16', versions: '0-3'},
    {name: 'errorMessage', type: 'string', versions: '1-3', nullableVersions: '1-3'},
    {name: 'nodeId', type: 'int32', versions: '0-3'},
    {name: 'host', type: 'string', versions: '0-3'},
    {name: 'port', type: 'int32', versions: '0-3'},
  ],
});

export type FindCoordinatorRequest = Decoded<typeof FindCoordinatorRequestSchema>;
export type FindCoordinatorResponse = Encodable<typeof FindCoordinatorResponseSchema>;
