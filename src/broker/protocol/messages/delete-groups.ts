/**
 * DeleteGroups (key 42), v0-v1.
 * v1 is byte-for-byte the same as v0. Only empty groups can be deleted (NON_EMPTY_GROUP).
 * Kafka makes v2+ flexible.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const DeleteGroupsRequestSchema = defineMessage({
  name: 'DeleteGroupsRequest',
  apiKey: 42,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [{name: 'groupsNames', type: '[]string', versions: '0+'}],
});

export const DeleteGroupsResponseSchema = defineMessage({
  name: 'DeleteGroupsResponse',
  apiKey: 42,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {
      name: 'results',
      type: '[]DeletableGroupResult',
      versions: '0+',
      fields: [
        {name: 'groupId', type: 'string', versions: '0+'},
        {name: 'errorCode', type: 'int16', versions: '0+'},
      ],
    },
  ],
});

export type DeleteGroupsRequest = Decoded<typeof DeleteGroupsRequestSchema>;
export type DeleteGroupsResponse = Encodable<typeof DeleteGroupsResponseSchema>;
