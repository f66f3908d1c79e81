/**
 * DescribeUserScramCredentials (key 50), v0. Needs DESCRIBE on the cluster.
 * Null users: everyone; a named user without credentials → RESOURCE_NOT_FOUND.
 */
import {DescribeUserScramCredentialsRequestSchema, DescribeUserScramCredentialsResponseSchema, type DescribeUserScramCredentialsRequest, type DescribeUserScramCredentialsResponse} from '../protocol/messages/describe-user-scram-credentials.js';
import {ErrorCode} from '../protocol/errors.js';
import {allowedOnCluster} from '../security/authorize.js';
import {defineHandler} from './types.js';

/** Kafka's ScramMechanism codes. */
export const SCRAM_CODES = {'SCRAM-SHA-256': 1, 'SCRAM-SHA-512': 2} as const;

export const describeUserScramCredentialsHandler = defineHandler<DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse>({
  apiKey: 50,
  name: 'DescribeUserScramCredentials',
  minVersion: 0,
  maxVersion: 0,
  request: DescribeUserScramCredentialsRequestSchema,
  response: DescribeUserScramCredentialsResponseSchema,
  handle(req, ctx) {
    if (!allowedOnCluster(ctx, 'DESCRIBE')) {
      return {throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: `${ctx.session.principal} may not DESCRIBE the cluster`, results: []};
    }
    const all = ctx.broker.credentials.list();
    const names = req.users === null ? all.map((u) => u.user) : req.users.map((u) => u.name);
    const results = names.map((user) => {
      const found = all.find((u) => u.user === user);
      if (!found) return {user, errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: `no SCRAM credentials for user ${user}`, credentialInfos: []};
      return {user, errorCode: ErrorCode.NONE, errorMessage: null, credentialInfos: found.mechanisms.map((m) => ({mechanism: SCRAM_CODES[m.mechanism], iterations: m.iterations}))};
    });
    return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, results};
  },
});
