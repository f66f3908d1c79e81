/**
 * Heartbeat (key 12), v0–v3. Keeps a member's session alive. During a rebalance
 * the answer is REBALANCE_IN_PROGRESS (the member must rejoin); a stale
 * generation gets ILLEGAL_GENERATION, an unknown member UNKNOWN_MEMBER_ID.
 */
import {HeartbeatRequestSchema, HeartbeatResponseSchema, type HeartbeatRequest, type HeartbeatResponse} from '../protocol/messages/heartbeat.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';
import {ErrorCode} from '../protocol/errors.js';

export const heartbeatHandler = defineHandler<HeartbeatRequest, HeartbeatResponse>({
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 3,
  request: HeartbeatRequestSchema,
  response: HeartbeatResponseSchema,
  handle(req, ctx) {
    const {broker} = ctx;
    if (!allowed(ctx, 'READ', 'GROUP', req.groupId)) return {throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED};
    return {throttleTimeMs: 0, errorCode: broker.groups.heartbeat(req.groupId, req.generationId, req.memberId)};
  },
});
