/**
 * LeaveGroup (key 13), v0–v3. Removes the member (v3: each listed member) and
 * starts a rebalance for the rest. v3 answers per member.
 */
import {LeaveGroupRequestSchema, LeaveGroupResponseSchema, type LeaveGroupRequest, type LeaveGroupResponse} from '../protocol/messages/leave-group.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';

export const leaveGroupHandler = defineHandler<LeaveGroupRequest, LeaveGroupResponse>({
  apiKey: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 3,
  request: LeaveGroupRequestSchema,
  response: LeaveGroupResponseSchema,
  handle(req, ctx) {
    const {broker, apiVersion} = ctx;
    if (!allowed(ctx, 'READ', 'GROUP', req.groupId)) return {throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, members: []};
    if (apiVersion < 3) return {throttleTimeMs: 0, errorCode: broker.groups.leave(req.groupId, req.memberId), members: []};
    const members = req.members.map((m) => ({memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: broker.groups.leave(req.groupId, m.memberId)}));
    return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, members};
  },
});
