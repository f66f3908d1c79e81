import {Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../cli/base-command.js';
import {groupLag} from '../kafka/groups.js';
import {NO_GROUPS, groupStateLine, lagJson, lagTable} from '../ui/groups.js';

export default class Lag extends KpatCommand {
  static override summary = 'Show consumer groups and their lag per partition.';
  static override description = `For each consumer group (or just --group): its state and member count, then per partition the committed offset, the end offset (where the next record will be written), the lag (records the group has yet to read: end − committed) and the member that owns the partition right now.

A partition where the group committed nothing shows COMMITTED "-" and counts every retained record as lag ("uncommitted": true in JSON).

--output json prints one {"type":"lag"} line per partition and one {"type":"group-lag"} total per group.`;
  static override examples = [
    '<%= config.bin %> lag',
    '<%= config.bin %> lag --group payments',
    '<%= config.bin %> lag --group payments --output json',
  ];
  static override flags = {
    ...connectionFlags,
    group: Flags.string({char: 'g', summary: 'Only this consumer group (`kpat groups` lists them).'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Lag);
    const groups = await groupLag((await this.connection(flags)), {groupId: flags.group});
    if (this.outputMode === 'json') {
      for (const g of groups) for (const line of lagJson(g)) this.emitJson(line);
      return;
    }
    if (groups.length === 0) {
      this.out(NO_GROUPS);
      return;
    }
    groups.forEach((g, i) => {
      if (i > 0) this.out('');
      this.out(groupStateLine({...g, members: g.members.length}));
      this.out(lagTable(g));
    });
  }
}
