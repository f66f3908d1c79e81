/**
 * ACLs through the admin API (CreateAcls, DescribeAcls, DeleteAcls), in the terms
 * kafka-acls uses: principals, operations, and topic/group/cluster/transactional-id
 * resources with literal or prefixed names.
 */
import type {AclEntry, AclFilter as KafkaJsAclFilter} from 'kafkajs';
import {CLUSTER_NAME, nameOf, Operation, PatternType, Permission, ResourceType, type OperationName, type ResourceTypeName} from '../broker/security/acl.js';
import {ConfigError} from '../core/errors.js';
import {withAdmin} from './client.js';
import type {Connection} from './connection.js';

export interface AclRule {
  principal: string;
  host: string;
  operation: string;
  permission: 'ALLOW' | 'DENY';
  resourceType: string;
  resourceName: string;
  patternType: 'LITERAL' | 'PREFIXED';
}

export interface AclResource {
  type: ResourceTypeName;
  name: string;
  pattern: 'LITERAL' | 'PREFIXED';
}

const OPERATIONS = Object.keys(Operation).filter((o) => o !== 'ANY') as OperationName[];

/** "read", "describe-configs", "IdempotentWrite" → Kafka's operation name. */
export function parseOperation(text: string): OperationName {
  const name = text.trim().replace(/[-\s]/g, '_').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  if (!(OPERATIONS as string[]).includes(name)) throw new ConfigError(`--operation ${text} is not a Kafka operation — use one of ${OPERATIONS.map((o) => o.toLowerCase().replace(/_/g, '-')).join(', ')}`);
  return name as OperationName;
}

export function parsePrincipal(text: string, flag: string): string {
  if (!/^[^:]+:.+$/.test(text)) throw new ConfigError(`${flag} ${text} must be a principal, Type:name — e.g. ${flag} User:${text}`);
  return text;
}

/** The one resource a command names with --topic, --group, --transactional-id or --cluster. */
export function resourceFrom(flags: {topic?: string; group?: string; 'transactional-id'?: string; cluster?: boolean; 'resource-pattern-type'?: string}): AclResource {
  const named: Array<[ResourceTypeName, string]> = [];
  if (flags.topic) named.push(['TOPIC', flags.topic]);
  if (flags.group) named.push(['GROUP', flags.group]);
  if (flags['transactional-id']) named.push(['TRANSACTIONAL_ID', flags['transactional-id']]);
  if (flags.cluster) named.push(['CLUSTER', CLUSTER_NAME]);
  if (named.length !== 1) throw new ConfigError('name exactly one resource: --topic NAME, --group NAME, --transactional-id ID or --cluster');
  const pattern = (flags['resource-pattern-type'] ?? 'literal').toUpperCase();
  if (pattern !== 'LITERAL' && pattern !== 'PREFIXED') throw new ConfigError(`--resource-pattern-type must be literal or prefixed, got ${flags['resource-pattern-type']}`);
  return {type: named[0]![0], name: named[0]![1], pattern};
}

function entries(resource: AclResource, principals: Array<{principal: string; permission: 'ALLOW' | 'DENY'}>, operations: OperationName[], host: string): AclEntry[] {
  return principals.flatMap(({principal, permission}) =>
    operations.map((op) => ({
      resourceType: ResourceType[resource.type],
      resourceName: resource.name,
      resourcePatternType: PatternType[resource.pattern],
      principal,
      host,
      operation: Operation[op],
      permissionType: Permission[permission],
    })) as unknown as AclEntry[],
  );
}

export async function addAcls(conn: Connection, resource: AclResource, principals: Array<{principal: string; permission: 'ALLOW' | 'DENY'}>, operations: OperationName[], host = '*'): Promise<AclRule[]> {
  const acl = entries(resource, principals, operations, host);
  await withAdmin(conn, (admin) => admin.createAcls({acl}));
  return acl.map(toRule);
}

/** Every ACL, or those on one resource (its exact pattern) and/or of one principal. */
export async function listAcls(conn: Connection, filter: {resource?: AclResource; principal?: string} = {}): Promise<AclRule[]> {
  const res = await withAdmin(conn, (admin) =>
    admin.describeAcls({
      resourceType: filter.resource ? ResourceType[filter.resource.type] : ResourceType.ANY,
      // kafkajs takes undefined (not null) for "any".
      resourceName: filter.resource?.name,
      resourcePatternType: filter.resource ? PatternType[filter.resource.pattern] : PatternType.ANY,
      principal: filter.principal,
      host: undefined,
      operation: Operation.ANY,
      permissionType: Permission.ANY,
    } as unknown as KafkaJsAclFilter),
  );
  return res.resources.flatMap((r) =>
    r.acls.map((a) => toRule({resourceType: r.resourceType, resourceName: r.resourceName, resourcePatternType: r.resourcePatternType, ...a} as unknown as AclEntry)),
  );
}

export async function removeAcls(conn: Connection, resource: AclResource, principals: Array<{principal: string; permission: 'ALLOW' | 'DENY'}>, operations: OperationName[], host = '*'): Promise<AclRule[]> {
  const filters = entries(resource, principals, operations, host) as unknown as KafkaJsAclFilter[];
  const res = await withAdmin(conn, (admin) => admin.deleteAcls({filters}));
  return res.filterResponses.flatMap((f) => f.matchingAcls.map((m) => toRule(m as unknown as AclEntry)));
}

function toRule(e: AclEntry): AclRule {
  const raw = e as unknown as Record<string, number | string>;
  return {
    principal: String(raw.principal),
    host: String(raw.host),
    operation: nameOf(Operation, Number(raw.operation)),
    permission: nameOf(Permission, Number(raw.permissionType)) as 'ALLOW' | 'DENY',
    resourceType: nameOf(ResourceType, Number(raw.resourceType)),
    resourceName: String(raw.resourceName),
    patternType: nameOf(PatternType, Number(raw.resourcePatternType)) as 'LITERAL' | 'PREFIXED',
  };
}
