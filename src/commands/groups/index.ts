import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {listGroups} from '../../kafka/groups.js';
import {renderTable} from '../../ui/table.js';
import {NO_GROUPS, groupJson} from '../../ui/groups.js';

export default class Groups extends KpatCommand {
  static override summary = 'List consumer groups with their state, member count and assignor.';
  static override description = `STATE is Kafka's group state: Stable (members are consuming), PreparingRebalance or CompletingRebalance (members are joining or leaving and partitions are being reassigned), Empty (no members; committed offsets are kept).

PROTOCOL is the partition assignor the members agreed on ("-" when the group has no members).`;
  static override examples = [
    '<%= config.bin %> groups',
    '<%= config.bin %> groups --json',
    '<%= config.bin %> groups describe payments',
    '<%= config.bin %> lag --group payments',
  ];
  static override flags = {...connectionFlags};

  async run(): Promise<void> {
    const {flags} = await this.parse(Groups);
    const groups = await listGroups((await this.connection(flags)));
    if (this.outputMode === 'json') {
      for (const g of groups) this.emitJson(groupJson(g));
      return;
    }
    if (groups.length === 0) {
      this.out(NO_GROUPS);
      return;
    }
    this.out(renderTable(['GROUP', 'STATE', 'MEMBERS', 'PROTOCOL'], groups.map((g) => [g.groupId, g.state, g.members, g.protocol || '-'])));
  }
}
