import {Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {aclResourceFlags} from '../../cli/acl-flags.js';
import {listAcls, parsePrincipal, resourceFrom} from '../../kafka/acls.js';
import {describeRule} from './add.js';

export default class AclList extends KpatCommand {
  static override summary = 'List ACLs: all, or those on one resource or of one principal (kafka-acls --list).';
  static override examples = ['<%= config.bin %> acl list', '<%= config.bin %> acl list --topic orders.v1', '<%= config.bin %> acl list --principal User:bob'];
  static override flags = {...connectionFlags, ...aclResourceFlags, principal: Flags.string({summary: 'Only this principal\'s ACLs.'})};

  async run(): Promise<void> {
    const {flags} = await this.parse(AclList);
    const named = flags.topic || flags.group || flags['transactional-id'] || flags.cluster;
    const rules = await listAcls(await this.connection(flags), {
      ...(named ? {resource: resourceFrom(flags)} : {}),
      ...(flags.principal ? {principal: parsePrincipal(flags.principal, '--principal')} : {}),
    });
    if (this.outputMode === 'json') {
      for (const r of rules) this.emitJson({type: 'acl', ...r});
      return;
    }
    if (rules.length === 0) this.out('no ACLs');
    for (const r of rules) this.out(describeRule(r));
  }
}
