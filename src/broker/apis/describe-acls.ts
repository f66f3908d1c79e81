/**
 * DescribeAcls (key 29), v0–v1. Needs DESCRIBE on the cluster. Bindings matching
 * the filter, grouped by resource pattern. SECURITY_DISABLED when ACLs are off.
 */
import {DescribeAclsRequestSchema, DescribeAclsResponseSchema, type DescribeAclsRequest, type DescribeAclsResponse} from '../protocol/messages/acls.js';
import {ErrorCode} from '../protocol/errors.js';
import {allowedOnCluster} from '../security/authorize.js';
import {defineHandler} from './types.js';

export const describeAclsHandler = defineHandler<DescribeAclsRequest, DescribeAclsResponse>({
  apiKey: 29,
  name: 'DescribeAcls',
  minVersion: 0,
  maxVersion: 1,
  request: DescribeAclsRequestSchema,
  response: DescribeAclsResponseSchema,
  handle(req, ctx) {
    const fail = (errorCode: number, errorMessage: string) => ({throttleTimeMs: 0, errorCode, errorMessage, resources: []});
    if (!ctx.broker.authorizer.enabled) return fail(ErrorCode.SECURITY_DISABLED, 'ACLs are off on this broker — start it with --acl');
    if (!allowedOnCluster(ctx, 'DESCRIBE')) return fail(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, `${ctx.session.principal} may not DESCRIBE the cluster`);
    const found = ctx.broker.authorizer.list({
      resourceType: req.resourceTypeFilter,
      resourceName: req.resourceNameFilter,
      patternType: req.patternTypeFilter,
      principal: req.principalFilter,
      host: req.hostFilter,
      operation: req.operation,
      permission: req.permissionType,
    });
    const resources = new Map<string, DescribeAclsResponse['resources'][number]>();
    for (const b of found) {
      const key = `${b.resourceType}\0${b.patternType}\0${b.resourceName}`;
      let r = resources.get(key);
      if (!r) resources.set(key, (r = {resourceType: b.resourceType, resourceName: b.resourceName, patternType: b.patternType, acls: []}));
      r.acls.push({principal: b.principal, host: b.host, operation: b.operation, permissionType: b.permission});
    }
    return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, resources: [...resources.values()]};
  },
});
