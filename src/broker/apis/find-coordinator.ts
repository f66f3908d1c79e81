/**
 * FindCoordinator (key 10), v0–v2. This node coordinates every group and every
 * transactional id (key_type 0 and 1 alike): one broker, one coordinator.
 */
import {FindCoordinatorRequestSchema, FindCoordinatorResponseSchema, type FindCoordinatorRequest, type FindCoordinatorResponse} from '../protocol/messages/find-coordinator.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';

export const findCoordinatorHandler = defineHandler<FindCoordinatorRequest, FindCoordinatorResponse>({
  apiKey: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 2,
  request: FindCoordinatorRequestSchema,
  response: FindCoordinatorResponseSchema,
  handle(req, ctx) {
    const {broker} = ctx;
    if (req.keyType !== 0 && req.keyType !== 1) {
      return {throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unknown coordinator key type ${req.keyType}`, nodeId: -1, host: '', port: -1};
    }
    if (req.keyType === 0 && !allowed(ctx, 'DESCRIBE', 'GROUP', req.key)) {
      return {throttleTimeMs: 0, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, errorMessage: null, nodeId: -1, host: '', port: -1};
    }
    if (req.keyType === 1 && !allowed(ctx, 'DESCRIBE', 'TRANSACTIONAL_ID', req.key)) {
      return {throttleTimeMs: 0, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, errorMessage: null, nodeId: -1, host: '', port: -1};
    }
    return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: broker.config.nodeId, host: broker.advertised.host, port: broker.advertised.port};
  },
});
