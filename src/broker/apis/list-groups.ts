/**
 * ListGroups (key 16), v0–v2: every consumer group the coordinator knows, with
 * its protocol type.
 */
import {ListGroupsRequestSchema, ListGroupsResponseSchema, type ListGroupsRequest, type ListGroupsResponse} from '../protocol/messages/list-groups.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler} from './types.js';
import {allowed, allowedOnCluster} from '../security/authorize.js';

export const listGroupsHandler = defineHandler<ListGroupsRequest, ListGroupsResponse>({
  apiKey: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 2,
  request: ListGroupsRequestSchema,
  response: ListGroupsResponseSchema,
  handle(_req, ctx) {
    // As Kafka: DESCRIBE on the cluster lists every group, otherwise the groups the client may DESCRIBE.
    const all = allowedOnCluster(ctx, 'DESCRIBE');
    return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: ctx.broker.groups.list().filter((g) => all || allowed(ctx, 'DESCRIBE', 'GROUP', g.groupId))};
  },
});
