/**
 * Heartbeat (key 12), v0-v3.
 * Request: v1-v2 are the same as v0; v3 adds groupInstanceId.
 * Response: v1 adds throttleTimeMs. REBALANCE_IN_PROGRESS tells members to rejoin.
 * Kafka makes v4+ flexible.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const HeartbeatRequestSchema = defineMessage({
  name: 'HeartbeatRequest',
  apiKey: 12,
  validVersions: '0-3',
  flexibleVersions: '4+',
  fields: [
    {name: 'groupId', type: 'string', versions: '0+'},
    {name: 'generationId', type: 'int32', versions: '0+'},
    {name: 'memberId', type: 'string', versions: '0+'},
    {name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null},
  ],
});

export const HeartbeatResponseSchema = defineMessage({
  name: 'HeartbeatResponse',
  apiKey: 12,
  validVersions: '0-3',
  flexibleVersions: '4+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0},
    {name: 'errorCode', type: 'int16', versions: '0+'},
  ],
});

export type HeartbeatRequest = Decoded<typeof HeartbeatRequestSchema>;
export type HeartbeatResponse = Encodable<typeof HeartbeatResponseSchema>;
