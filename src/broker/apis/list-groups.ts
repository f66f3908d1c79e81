/**
 * ListGroups (key 16), v0–v2: every consumer group the coordinator knows, with
 * its protocol type.
 */
import {ListGroupsRequestSchema, ListGroupsResponseSchema, type ListGroupsRequest, type ListGroupsResponse} from '../protocol/messages/list-groups.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler} from './types.js';

export const listGroupsHandler = defineHandler<ListGroupsRequest, ListGroupsResponse>({
  apiKey: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 2,
  request: ListGroupsRequestSchema,
  response: ListGroupsResponseSchema,
  handle(_req, {broker}) {
    return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: broker.groups.list()};
  },
});
