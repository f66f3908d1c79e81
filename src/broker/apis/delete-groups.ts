/**
 * DeleteGroups (key 42), v0–v1. Only groups without members can go
 * (NON_EMPTY_GROUP otherwise); their committed offsets go with them.
 * Unknown → GROUP_ID_NOT_FOUND.
 */
import {DeleteGroupsRequestSchema, DeleteGroupsResponseSchema, type DeleteGroupsRequest, type DeleteGroupsResponse} from '../protocol/messages/delete-groups.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';
import {ErrorCode} from '../protocol/errors.js';

export const deleteGroupsHandler = defineHandler<DeleteGroupsRequest, DeleteGroupsResponse>({
  apiKey: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 1,
  request: DeleteGroupsRequestSchema,
  response: DeleteGroupsResponseSchema,
  async handle(req, ctx) {
    const results: DeleteGroupsResponse['results'] = [];
    for (const groupId of req.groupsNames) {
      results.push({groupId, errorCode: allowed(ctx, 'DELETE', 'GROUP', groupId) ? await ctx.broker.groups.deleteGroup(groupId) : ErrorCode.GROUP_AUTHORIZATION_FAILED});
    }
    return {throttleTimeMs: 0, results};
  },
});
