/**
 * JoinGroup (key 11), v0-v5.
 * Request: v1 adds rebalanceTimeoutMs; v2-v4 are the same as v1 (from v4 a member joining
 * with an empty memberId gets MEMBER_ID_REQUIRED plus its new id, and joins again);
 * v5 adds groupInstanceId (static membership).
 * Response: v2 adds throttleTimeMs; v5 adds groupInstanceId per member.
 * Kafka makes v6+ flexible; v7 adds protocolType and makes protocolName nullable (left out).
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const JoinGroupRequestSchema = defineMessage({
  name: 'JoinGroupRequest',
  apiKey: 11,
  validVersions: '0-5',
  flexibleVersions: '6+',
  fields: [
    {name: 'groupId', type: 'string', versions: '0+'},
    {name: 'sessionTimeoutMs', type: 'int32', versions: '0+'},
    // Absent in v0: Kafka then uses sessionTimeoutMs; -1 is only a placeholder.
    {name: 'rebalanceTimeoutMs', type: 'int32', versions: '1+', default: -1},
    {name: 'memberId', type: 'string', versions: '0+'},
    {name: 'groupInstanceId', type: 'string', versions: '5+', nullableVersions: '5+', default: null},
    {name: 'protocolType', type: 'string', versions: '0+'},
    {
      name: 'protocols',
      type: '[]JoinGroupRequestProtocol',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {name: 'metadata', type: 'bytes', versions: '0+'},
      ],
    },
  ],
});

export const JoinGroupResponseSchema = defineMessage({
  name: 'JoinGroupResponse',
  apiKey: 11,
  validVersions: '0-5',
  flexibleVersions: '6+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '2+', default: 0},
    {name: 'errorCode', type: 'int16', versions: '0+'},
    {name: 'generationId', type: 'int32', versions: '0+', default: -1},
    {name: 'protocolName', type: 'string', versions: '0+'},
    {name: 'leader', type: 'string', versions: '0+'},
    {name: 'memberId', type: 'string', versions: '0+'},
    {
      name: 'members',
      type: '[]JoinGroupResponseMember',
      versions: '0+',
      fields: [
        {name: 'memberId', type: 'string', versions: '0+'},
        {name: 'groupInstanceId', type: 'string', versions: '5+', nullableVersions: '5+', default: null},
        {name: 'metadata', type: 'bytes', versions: '0+'},
      ],
    },
  ],
});

export type JoinGroupRequest = Decoded<typeof JoinGroupRequestSchema>;
export type JoinGroupResponse = Encodable<typeof JoinGroupResponseSchema>;
