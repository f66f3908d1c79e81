import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {aclPrincipalFlags, aclResourceFlags} from '../../cli/acl-flags.js';
import {addAcls, parseOperation, parsePrincipal, resourceFrom} from '../../kafka/acls.js';
import {ConfigError} from '../../core/errors.js';

export default class AclAdd extends KpatCommand {
  static override summary = 'Allow (or deny) principals operations on a topic, group, transactional id or the cluster, like kafka-acls --add.';
  static override description = 'Needs ALTER on the cluster (a super user). READ, WRITE, DELETE and ALTER also allow DESCRIBE, as in Kafka.';
  static override examples = [
    '<%= config.bin %> acl add --allow-principal User:alice --operation write --topic orders.v1',
    '<%= config.bin %> acl add --allow-principal User:bob --operation read --topic orders.v1 --group audit',
    '<%= config.bin %> acl add --allow-principal User:svc --operation all --topic payments. --resource-pattern-type prefixed',
  ];
  static override flags = {...connectionFlags, ...aclPrincipalFlags, ...aclResourceFlags};

  async run(): Promise<void> {
    const {flags} = await this.parse(AclAdd);
    const principals = principalsOf(flags);
    const operations = (flags.operation ?? []).map(parseOperation);
    if (operations.length === 0) throw new ConfigError('name what is allowed with --operation (read, write, describe, all …)');
    // kafka-acls' --topic T --group G with read: read on both (what a consumer needs).
    const resources = flags.topic && flags.group ? [resourceFrom({...flags, group: undefined}), resourceFrom({...flags, topic: undefined})] : [resourceFrom(flags)];
    const conn = await this.connection(flags);
    const added = [];
    for (const r of resources) added.push(...(await addAcls(conn, r, principals, operations, flags.host)));
    if (this.outputMode === 'json') for (const a of added) this.emitJson({type: 'acl-added', ...a});
    else for (const a of added) this.out(`added ${describeRule(a)}`);
  }
}

export function principalsOf(flags: {'allow-principal'?: string[]; 'deny-principal'?: string[]}): Array<{principal: string; permission: 'ALLOW' | 'DENY'}> {
  const out = [
    ...(flags['allow-principal'] ?? []).map((p) => ({principal: parsePrincipal(p, '--allow-principal'), permission: 'ALLOW' as const})),
    ...(flags['deny-principal'] ?? []).map((p) => ({principal: parsePrincipal(p, '--deny-principal'), permission: 'DENY' as const})),
  ];
  if (out.length === 0) throw new ConfigError('name who with --allow-principal User:NAME (or --deny-principal)');
  return out;
}

export function describeRule(a: {principal: string; host: string; operation: string; permission: string; resourceType: string; resourceName: string; patternType: string}): string {
  const pattern = a.patternType === 'PREFIXED' ? ` (prefix)` : '';
  return `${a.permission} ${a.principal} ${a.operation} on ${a.resourceType} ${a.resourceName}${pattern}${a.host === '*' ? '' : ` from ${a.host}`}`;
}
