/**
 * DeleteAcls (key 31), v0–v1. Needs ALTER on the cluster. Removes every binding
 * each filter matches and returns them per filter. SECURITY_DISABLED when ACLs are off.
 */
import {DeleteAclsRequestSchema, DeleteAclsResponseSchema, type DeleteAclsRequest, type DeleteAclsResponse} from '../protocol/messages/acls.js';
import {ErrorCode} from '../protocol/errors.js';
import {allowedOnCluster} from '../security/authorize.js';
import {defineHandler} from './types.js';

export const deleteAclsHandler = defineHandler<DeleteAclsRequest, DeleteAclsResponse>({
  apiKey: 31,
  name: 'DeleteAcls',
  minVersion: 0,
  maxVersion: 1,
  request: DeleteAclsRequestSchema,
  response: DeleteAclsResponseSchema,
  handle(req, ctx) {
    const fail = (errorCode: number, errorMessage: string) => ({throttleTimeMs: 0, filterResults: req.filters.map(() => ({errorCode, errorMessage, matchingAcls: []}))});
    if (!ctx.broker.authorizer.enabled) return fail(ErrorCode.SECURITY_DISABLED, 'ACLs are off on this broker — start it with --acl');
    if (!allowedOnCluster(ctx, 'ALTER')) return fail(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, `${ctx.session.principal} may not ALTER the cluster`);
    const removed = ctx.broker.authorizer.delete(
      req.filters.map((f) => ({
        resourceType: f.resourceTypeFilter,
        resourceName: f.resourceNameFilter,
        patternType: f.patternTypeFilter,
        principal: f.principalFilter,
        host: f.hostFilter,
        operation: f.operation,
        permission: f.permissionType,
      })),
    );
    return {
      throttleTimeMs: 0,
      filterResults: removed.map((bindings) => ({
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        matchingAcls: bindings.map((b) => ({
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          resourceType: b.resourceType,
          resourceName: b.resourceName,
          patternType: b.patternType,
          principal: b.principal,
          host: b.host,
          operation: b.operation,
          permissionType: b.permission,
        })),
      })),
    };
  },
});
