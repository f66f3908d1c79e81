/**
 * What handlers call: may this request's principal do `operation` on a resource?
 * The host is the client's address as ACLs name it (127.0.0.1, or * in an ACL).
 */
import type {RequestContext} from '../apis/types.js';
import type {OperationName, ResourceTypeName} from './acl.js';
import {CLUSTER_NAME} from './acl.js';

export function allowed(ctx: RequestContext, operation: OperationName, type: ResourceTypeName, name: string): boolean {
  const {authorizer, credentials} = ctx.broker;
  if (!authorizer.enabled) return true;
  // The broker's own clients (the hosted registry) act as super users.
  if (ctx.session.saslRequired && ctx.session.authenticated && credentials.isInternal(ctx.session.user)) return true;
  return authorizer.authorize(ctx.session.principal, ctx.clientHost.replace(/^\//, ''), operation, type, name);
}

export const allowedOnCluster = (ctx: RequestContext, operation: OperationName): boolean => allowed(ctx, operation, 'CLUSTER', CLUSTER_NAME);

/** Topics this client may DESCRIBE, for answers that list "all" topics. */
export const describable = (ctx: RequestContext) => (topic: string) => allowed(ctx, 'DESCRIBE', 'TOPIC', topic);

/** Some topic this client may WRITE (what Kafka 3 accepts for an idempotent producer). */
export function mayWriteSomeTopic(ctx: RequestContext): boolean {
  const {authorizer} = ctx.broker;
  if (!authorizer.enabled) return true;
  return authorizer.allowsSome(ctx.session.principal, ctx.clientHost.replace(/^\//, ''), 'WRITE', 'TOPIC');
}
