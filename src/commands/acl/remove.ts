import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {aclPrincipalFlags, aclResourceFlags} from '../../cli/acl-flags.js';
import {parseOperation, removeAcls, resourceFrom} from '../../kafka/acls.js';
import {ConfigError, OperationError} from '../../core/errors.js';
import {describeRule, principalsOf} from './add.js';

export default class AclRemove extends KpatCommand {
  static override summary = 'Remove ACLs, named as they were added (kafka-acls --remove).';
  static override examples = ['<%= config.bin %> acl remove --allow-principal User:alice --operation write --topic orders.v1'];
  static override flags = {...connectionFlags, ...aclPrincipalFlags, ...aclResourceFlags};

  async run(): Promise<void> {
    const {flags} = await this.parse(AclRemove);
    const principals = principalsOf(flags);
    const operations = (flags.operation ?? []).map(parseOperation);
    if (operations.length === 0) throw new ConfigError('name the operation to remove with --operation (as it was added)');
    const removed = await removeAcls(await this.connection(flags), resourceFrom(flags), principals, operations, flags.host);
    if (removed.length === 0) throw new OperationError('no ACL matched — `kpat acl list` shows them as they are');
    if (this.outputMode === 'json') for (const r of removed) this.emitJson({type: 'acl-removed', ...r});
    else for (const r of removed) this.out(`removed ${describeRule(r)}`);
  }
}
