/**
 * CreateAcls (key 30), v0–v1. Needs ALTER on the cluster (else
 * CLUSTER_AUTHORIZATION_FAILED per creation); ACLs must be on (else
 * SECURITY_DISABLED, as Kafka without an authorizer); each binding is checked
 * (concrete types, LITERAL or PREFIXED, "User:name") and stored in acls.json.
 */
import {CreateAclsRequestSchema, CreateAclsResponseSchema, type CreateAclsRequest, type CreateAclsResponse} from '../protocol/messages/acls.js';
import {ErrorCode} from '../protocol/errors.js';
import {bindingProblem, type AclBinding} from '../security/acl.js';
import {allowedOnCluster} from '../security/authorize.js';
import {defineHandler} from './types.js';

export const createAclsHandler = defineHandler<CreateAclsRequest, CreateAclsResponse>({
  apiKey: 30,
  name: 'CreateAcls',
  minVersion: 0,
  maxVersion: 1,
  request: CreateAclsRequestSchema,
  response: CreateAclsResponseSchema,
  handle(req, ctx) {
    const fail = (errorCode: number, errorMessage: string) => ({throttleTimeMs: 0, results: req.creations.map(() => ({errorCode, errorMessage}))});
    if (!ctx.broker.authorizer.enabled) return fail(ErrorCode.SECURITY_DISABLED, 'ACLs are off on this broker — start it with --acl');
    if (!allowedOnCluster(ctx, 'ALTER')) return fail(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, `${ctx.session.principal} may not ALTER the cluster`);
    const valid: AclBinding[] = [];
    const results = req.creations.map((c) => {
      const binding: AclBinding = {
        resourceType: c.resourceType,
        resourceName: c.resourceName,
        patternType: c.resourcePatternType,
        principal: c.principal,
        host: c.host,
        operation: c.operation,
        permission: c.permissionType,
      };
      const problem = bindingProblem(binding);
      if (problem) return {errorCode: ErrorCode.INVALID_REQUEST, errorMessage: problem};
      valid.push(binding);
      return {errorCode: ErrorCode.NONE, errorMessage: null};
    });
    ctx.broker.authorizer.add(valid);
    return {throttleTimeMs: 0, results};
  },
});
