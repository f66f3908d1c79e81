/**
 * LeaveGroup (key 13), v0-v3.
 * Request: v0-v2 name one memberId; v3 replaces it with a batch of members (memberId +
 * groupInstanceId each).
 * Response: v1 adds throttleTimeMs; v3 adds a per-member result list.
 * Kafka makes v4+ flexible and adds a reason in v5 (left out).
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const LeaveGroupRequestSchema = defineMessage({
  name: 'LeaveGroupRequest',
  apiKey: 13,
  validVersions: '0-3',
  flexibleVersions: '4+',
  fields: [
    {name: 'groupId', type: 'string', versions: '0+'},
    {name: 'memberId', type: 'string', versions: '0-2', default: ''},
    {
      name: 'members',
      type: '[]MemberIdentity',
      versions: '3+',
      fields: [
        {name: 'memberId', type: 'string', versions: '3+'},
        {name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null},
      ],
    },
  ],
});

export const LeaveGroupResponseSchema = defineMessage({
  name: 'LeaveGroupResponse',
  apiKey: 13,
  validVersions: '0-3',
  flexibleVersions: '4+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0},
    {name: 'errorCode', type: 'int16', versions: '0+'},
    {
      name: 'members',
      type: '[]MemberResponse',
      versions: '3+',
      fields: [
        {name: 'memberId', type: 'string', versions: '3+'},
        {name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+'},
        {name: 'errorCode', type: 'int16', versions: '3+'},
      ],
    },
  ],
});

export type LeaveGroupRequest = Decoded<typeof LeaveGroupRequestSchema>;
export type LeaveGroupResponse = Encodable<typeof LeaveGroupResponseSchema>;
