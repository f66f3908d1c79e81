/**
 * SyncGroup (key 14), v0–v3. The leader sends every member's assignment;
 * followers' requests are parked until it arrives (or the generation ends:
 * REBALANCE_IN_PROGRESS). Unknown member → UNKNOWN_MEMBER_ID, stale
 * generation → ILLEGAL_GENERATION.
 */
import {SyncGroupRequestSchema, SyncGroupResponseSchema, type SyncGroupRequest, type SyncGroupResponse} from '../protocol/messages/sync-group.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';
import {ErrorCode} from '../protocol/errors.js';

export const syncGroupHandler = defineHandler<SyncGroupRequest, SyncGroupResponse>({
  apiKey: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 3,
  request: SyncGroupRequestSchema,
  response: SyncGroupResponseSchema,
  async handle(req, ctx) {
    const {broker} = ctx;
    if (!allowed(ctx, 'READ', 'GROUP', req.groupId)) return {throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, assignment: Buffer.alloc(0)};
    const result = await broker.groups.sync(
      req.groupId,
      req.generationId,
      req.memberId,
      req.assignments.map((a) => ({memberId: a.memberId, assignment: Buffer.from(a.assignment)})),
    );
    return {throttleTimeMs: 0, ...result};
  },
});
