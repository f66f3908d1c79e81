/**
 * SyncGroup (key 14), v0-v3.
 * Request: v1-v2 are the same as v0; v3 adds groupInstanceId. Only the leader sends
 * assignments; followers send an empty list and wait for the leader's request.
 * Response: v1 adds throttleTimeMs.
 * Kafka makes v4+ flexible and adds protocolType/protocolName in v5 (left out).
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const SyncGroupRequestSchema = defineMessage({
  name: 'SyncGroupRequest',
  apiKey: 14,
  validVersions: '0-3',
  flexibleVersions: '4+',
  fields: [
    {name: 'groupId', type: 'string', versions: '0+'},
    {name: 'generationId', type: 'int32', versions: '0+'},
    {name: 'memberId', type: 'string', versions: '0+'},
    {name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null},
    {
      name: 'assignments',
      type: '[]SyncGroupRequestAssignment',
      versions: '0+',
      fields: [
        {name: 'memberId', type: 'string', versions: '0+'},
        {name: 'assignment', type: 'bytes', versions: '0+'},
      ],
    },
  ],
});

export const SyncGroupResponseSchema = defineMessage({
  name: 'SyncGroupResponse',
  apiKey: 14,
  validVersions: '0-3',
  flexibleVersions: '4+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0},
    {name: 'errorCode', type: 'int16', versions: '0+'},
    {name: 'assignment', type: 'bytes', versions: '0+'},
  ],
});

export type SyncGroupRequest = Decoded<typeof SyncGroupRequestSchema>;
export type SyncGroupResponse = Encodable<typeof SyncGroupResponseSchema>;
