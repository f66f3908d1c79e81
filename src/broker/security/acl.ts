/**
 * Kafka's ACL model: bindings of (resource type, name, pattern) to (principal,
 * host, operation, allow/deny), the wire codes of each enum, and the filters
 * DescribeAcls and DeleteAcls match with.
 */

export const ResourceType = {ANY: 1, TOPIC: 2, GROUP: 3, CLUSTER: 4, TRANSACTIONAL_ID: 5} as const;
export const PatternType = {ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4} as const;
export const Operation = {
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
} as const;
export const Permission = {ANY: 1, DENY: 2, ALLOW: 3} as const;

export type ResourceTypeName = Exclude<keyof typeof ResourceType, 'ANY'>;
export type OperationName = Exclude<keyof typeof Operation, 'ANY'>;

/** The one cluster resource's name, as Kafka calls it. */
export const CLUSTER_NAME = 'kafka-cluster';

export interface AclBinding {
  resourceType: number;
  resourceName: string;
  patternType: number;
  principal: string;
  host: string;
  operation: number;
  permission: number;
}

export interface AclFilter {
  resourceType: number;
  resourceName: string | null;
  patternType: number;
  principal: string | null;
  host: string | null;
  operation: number;
  permission: number;
}

export const nameOf = <T extends Record<string, number>>(table: T, code: number): string => Object.entries(table).find(([, v]) => v === code)?.[0] ?? `UNKNOWN(${code})`;

/** Does the binding's resource pattern cover this resource name? */
export function patternCovers(b: Pick<AclBinding, 'resourceName' | 'patternType'>, name: string): boolean {
  if (b.patternType === PatternType.LITERAL) return b.resourceName === name || b.resourceName === '*';
  if (b.patternType === PatternType.PREFIXED) return name.startsWith(b.resourceName);
  return false;
}

/** A binding the broker can store: concrete enums (no ANY/MATCH/UNKNOWN), a principal "Type:name". */
export function bindingProblem(b: AclBinding): string | null {
  if (![ResourceType.TOPIC, ResourceType.GROUP, ResourceType.CLUSTER, ResourceType.TRANSACTIONAL_ID].includes(b.resourceType as never)) return `unsupported resource type ${b.resourceType}`;
  if (b.patternType !== PatternType.LITERAL && b.patternType !== PatternType.PREFIXED) return `pattern type must be LITERAL or PREFIXED, got ${nameOf(PatternType, b.patternType)}`;
  if (b.operation < Operation.ALL || b.operation > Operation.IDEMPOTENT_WRITE) return `invalid operation ${b.operation}`;
  if (b.permission !== Permission.ALLOW && b.permission !== Permission.DENY) return `permission must be ALLOW or DENY`;
  if (!/^[^:]+:.+$/.test(b.principal)) return `principal must be Type:name (User:alice), got ${b.principal}`;
  if (b.resourceName.length === 0) return 'empty resource name';
  if (b.resourceType === ResourceType.CLUSTER && b.resourceName !== CLUSTER_NAME) return `the cluster resource is named ${CLUSTER_NAME}`;
  return null;
}

/** Kafka's AclBindingFilter.matches. */
export function filterMatches(f: AclFilter, b: AclBinding): boolean {
  if (f.resourceType !== ResourceType.ANY && f.resourceType !== b.resourceType) return false;
  if (f.operation !== Operation.ANY && f.operation !== b.operation) return false;
  if (f.permission !== Permission.ANY && f.permission !== b.permission) return false;
  if (f.principal !== null && f.principal !== b.principal) return false;
  if (f.host !== null && f.host !== b.host) return false;
  if (f.patternType === PatternType.MATCH) return f.resourceName === null || patternCovers(b, f.resourceName);
  if (f.patternType !== PatternType.ANY && f.patternType !== b.patternType) return false;
  return f.resourceName === null || f.resourceName === b.resourceName;
}

export const sameBinding = (a: AclBinding, b: AclBinding): boolean =>
  a.resourceType === b.resourceType && a.resourceName === b.resourceName && a.patternType === b.patternType && a.principal === b.principal && a.host === b.host && a.operation === b.operation && a.permission === b.permission;
