/**
 * DeleteGroups (key 42), v0–v1. Only groups without members can go
 * (NON_EMPTY_GROUP otherwise); their committed offsets go with them.
 * Unknown → GROUP_ID_NOT_FOUND.
 */
import {DeleteGroupsRequestSchema, DeleteGroupsResponseSchema, type DeleteGroupsRequest, type DeleteGroupsResponse} from '../protocol/messages/delete-groups.js';
import {defineHandler} from './types.js';

export const deleteGroupsHandler = defineHandler<DeleteGroupsRequest, DeleteGroupsResponse>({
  apiKey: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 1,
  request: DeleteGroupsRequestSchema,
  response: DeleteGroupsResponseSchema,
  async handle(req, {broker}) {
    const results: DeleteGroupsResponse['results'] = [];
    for (const groupId of req.groupsNames) results.push({groupId, errorCode: await broker.groups.deleteGroup(groupId)});
    return {throttleTimeMs: 0, results};
  },
});
