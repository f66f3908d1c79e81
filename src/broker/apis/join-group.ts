/**
 * JoinGroup (key 11), v0–v5. The answer is parked until the join phase
 * completes (every member rejoined, or the rebalance timeout passed).
 * v4+: a member without an id gets MEMBER_ID_REQUIRED carrying its new id and
 * must rejoin with it. Session timeouts outside the broker's bounds →
 * INVALID_SESSION_TIMEOUT; v0 has no rebalance timeout (the session timeout is used).
 * Static membership (group_instance_id, v5) is accepted but treated as dynamic.
 */
import {JoinGroupRequestSchema, JoinGroupResponseSchema, type JoinGroupRequest, type JoinGroupResponse} from '../protocol/messages/join-group.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';
import {ErrorCode} from '../protocol/errors.js';

export const joinGroupHandler = defineHandler<JoinGroupRequest, JoinGroupResponse>({
  apiKey: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 5,
  request: JoinGroupRequestSchema,
  response: JoinGroupResponseSchema,
  async handle(req, ctx) {
    const {broker, apiVersion, clientId, clientHost} = ctx;
    if (!allowed(ctx, 'READ', 'GROUP', req.groupId)) {
      return {throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, generationId: -1, protocolName: '', leader: '', memberId: req.memberId, members: []};
    }
    const result = await broker.groups.join({
      groupId: req.groupId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: clientId ?? '',
      clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: apiVersion >= 1 ? req.rebalanceTimeoutMs : req.sessionTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols.map((p) => ({name: p.name, metadata: Buffer.from(p.metadata)})),
      requireKnownMemberId: apiVersion >= 4,
    });
    return {throttleTimeMs: 0, ...result};
  },
});
