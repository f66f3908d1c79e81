/**
 * DescribeGroups (key 15), v0–v4. State, protocol type and chosen protocol,
 * members with client id and host; member metadata and assignment once the
 * group is Stable (as Kafka). Unknown groups are reported as Dead.
 */
import {DescribeGroupsRequestSchema, DescribeGroupsResponseSchema, type DescribeGroupsRequest, type DescribeGroupsResponse} from '../protocol/messages/describe-groups.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';

export const describeGroupsHandler = defineHandler<DescribeGroupsRequest, DescribeGroupsResponse>({
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 4,
  request: DescribeGroupsRequestSchema,
  response: DescribeGroupsResponseSchema,
  handle(req, ctx) {
    const {broker} = ctx;
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((groupId) => {
        if (!allowed(ctx, 'DESCRIBE', 'GROUP', groupId)) {
          return {errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, groupId, groupState: '', protocolType: '', protocolData: '', members: []};
        }
        const g = broker.groups.describe(groupId);
        return {
          errorCode: ErrorCode.NONE,
          groupId,
          groupState: g.state,
          protocolType: g.protocolType,
          protocolData: g.protocol,
          members: g.members.map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            clientId: m.clientId,
            clientHost: m.clientHost,
            memberMetadata: m.metadata,
            memberAssignment: m.assignment,
          })),
        };
      }),
    };
  },
});
