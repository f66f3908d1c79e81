/**
 * ListGroups (key 16), v0-v2.
 * Request: empty in v0-v2 (Kafka adds state filters in v4).
 * Response: v1 adds throttleTimeMs; v2 is the same as v1. Kafka makes v3+ flexible.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const ListGroupsRequestSchema = defineMessage({
  name: 'ListGroupsRequest',
  apiKey: 16,
  validVersions: '0-2',
  flexibleVersions: '3+',
  fields: [],
});

export const ListGroupsResponseSchema = defineMessage({
  name: 'ListGroupsResponse',
  apiKey: 16,
  validVersions: '0-2',
  flexibleVersions: '3+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0},
    {name: 'errorCode', type: 'int16', versions: '0+'},
    {
      name: 'groups',
      type: '[]ListedGroup',
      versions: '0+',
      fields: [
        {name: 'groupId', type: 'string', versions: '0+'},
        {name: 'protocolType', type: 'string', versions: '0+'},
      ],
    },
  ],
});

export type ListGroupsRequest = Decoded<typeof ListGroupsRequestSchema>;
export type ListGroupsResponse = Encodable<typeof ListGroupsResponseSchema>;
