/**
 * DescribeGroups (key 15), v0-v4.
 * Request: v1-v2 are the same as v0; v3 adds includeAuthorizedOperations.
 * Response: v1 adds throttleTimeMs; v3 authorizedOperations per group; v4 groupInstanceId
 * per member. Kafka makes v5+ flexible.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const DescribeGroupsRequestSchema = defineMessage({
  name: 'DescribeGroupsRequest',
  apiKey: 15,
  validVersions: '0-4',
  flexibleVersions: '5+',
  fields: [
    {name: 'groups', type: '[]string', versions: '0+'},
    {name: 'includeAuthorizedOperations', type: 'bool', versions: '3+', default: false},
  ],
});

export const DescribeGroupsResponseSchema = defineMessage({
  name: 'DescribeGroupsResponse',
  apiKey: 15,
  validVersions: '0-4',
  flexibleVersions: '5+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0},
    {
      name: 'groups',
      type: '[]DescribedGroup',
      versions: '0+',
      fields: [
        {name: 'errorCode', type: 'int16', versions: '0+'},
        {name: 'groupId', type: 'string', versions: '0+'},
        {name: 'groupState', type: 'string', versions: '0+'},
        {name: 'protocolType', type: 'string', versions: '0+'},
        {name: 'protocolData', type: 'string', versions: '0+'},
        {
          name: 'members',
          type: '[]DescribedGroupMember',
          versions: '0+',
          fields: [
            {name: 'memberId', type: 'string', versions: '0+'},
            {name: 'groupInstanceId', type: 'string', versions: '4+', nullableVersions: '4+', default: null},
            {name: 'clientId', type: 'string', versions: '0+'},
            {name: 'clientHost', type: 'string', versions: '0+'},
            {name: 'memberMetadata', type: 'bytes', versions: '0+'},
            {name: 'memberAssignment', type: 'bytes', versions: '0+'},
          ],
        },
        // -2^31 means "not requested" (Kafka's default).
        {name: 'authorizedOperations', type: 'int32', versions: '3+', default: -2147483648},
      ],
    },
  ],
});

export type DescribeGroupsRequest = Decoded<typeof DescribeGroupsRequestSchema>;
export type DescribeGroupsResponse = Encodable<typeof DescribeGroupsResponseSchema>;
