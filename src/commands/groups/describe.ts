import {Args} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {describeGroup, type TopicPartitions} from '../../kafka/groups.js';
import {renderTable} from '../../ui/table.js';
import {groupJson, groupStateLine, lagJson, lagTable} from '../../ui/groups.js';

const assignmentText = (a: TopicPartitions[]) => (a.length === 0 ? '-' : a.map((t) => `${t.topic}[${t.partitions.join(',')}]`).join(' '));

export default class GroupsDescribe extends KpatCommand {
  static override summary = 'Show a consumer group: state, members and their partitions, committed offsets and lag.';
  static override description = `Members are listed with their client id, host and the partitions the group assigned them (none while a rebalance is under way).

Then, per partition the group committed to or is assigned: committed offset, end offset, lag (end − committed) and owner, as \`kpat lag --group\` shows them.

--output json prints a {"type":"group"} line, a {"type":"member"} line per member, a {"type":"lag"} line per partition and a {"type":"group-lag"} total.`;
  static override examples = ['<%= config.bin %> groups describe payments', '<%= config.bin %> groups describe payments --output json'];
  static override args = {group: Args.string({description: 'Consumer group id (`kpat groups` lists them).', required: true})};
  static override flags = {...connectionFlags};

  async run(): Promise<void> {
    const {args, flags} = await this.parse(GroupsDescribe);
    const g = await describeGroup((await this.connection(flags)), args.group);
    if (this.outputMode === 'json') {
      this.emitJson(groupJson({...g, members: g.members.length}));
      for (const m of g.members) this.emitJson({type: 'member', group: g.groupId, ...m});
      for (const line of lagJson(g)) this.emitJson(line);
      return;
    }
    this.out(groupStateLine({...g, members: g.members.length}));
    if (g.members.length > 0) {
      this.out('');
      this.out(
        renderTable(
          ['MEMBER', 'CLIENT', 'HOST', 'ASSIGNMENT'],
          g.members.map((m) => [m.memberId, m.clientId, m.clientHost, assignmentText(m.assignment)]),
        ),
      );
    }
    this.out('');
    this.out(lagTable(g));
  }
}
