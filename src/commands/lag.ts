import {Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../cli/base-command.js';
import {groupLag, type GroupDetail, type MemberRef} from '../kafka/groups.js';
import {renderTable} from '../ui/table.js';

export const NO_GROUPS = 'no consumer groups yet — start one with `kpat consume TOPIC --group NAME`';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "Stable · 2 members · consumer/range": the one-line state of a group. */
export function groupStateLine(g: Pick<GroupDetail, 'groupId' | 'state' | 'protocolType' | 'protocol'> & {members: number}): string {
  const protocol = [g.protocolType, g.protocol].filter((s) => s.length > 0).join('/');
  return [`group ${g.groupId}`, g.state, plural(g.members, 'member'), ...(protocol ? [protocol] : [])].join(' · ');
}

const ownerText = (o: MemberRef | null) => (o ? `${o.memberId} (${o.clientHost})` : '-');

/** The per-partition table and total line shared by `kpat lag` and `kpat groups describe`. */
export function lagTable(g: GroupDetail): string {
  if (g.partitions.length === 0) return 'no committed offsets and no assigned partitions';
  const anyUncommitted = g.partitions.some((p) => p.uncommitted);
  const lines = [
    renderTable(
      ['TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG', 'OWNER'],
      g.partitions.map((p) => [p.topic, p.partition, p.committed ?? '-', p.end, p.lag, ownerText(p.owner)]),
    ),
    `total lag ${g.totalLag}`,
  ];
  if (anyUncommitted) lines.push('COMMITTED "-": nothing committed there yet, so LAG counts every retained record');
  return lines.join('\n');
}

/** The `group` NDJSON line shared by `kpat groups` and `kpat groups describe`. */
export function groupJson(g: Pick<GroupDetail, 'groupId' | 'state' | 'protocolType' | 'protocol'> & {members: number}): object {
  return {type: 'group', group: g.groupId, state: g.state, members: g.members, protocolType: g.protocolType, protocol: g.protocol};
}

/** NDJSON facts for one group: a `lag` line per partition, then its `group-lag` total. */
export function lagJson(g: GroupDetail): object[] {
  return [
    ...g.partitions.map((p) => ({
      type: 'lag',
      group: g.groupId,
      topic: p.topic,
      partition: p.partition,
      committed: p.committed,
      start: p.start,
      end: p.end,
      lag: p.lag,
      uncommitted: p.uncommitted,
      owner: p.owner,
    })),
    {type: 'group-lag', group: g.groupId, state: g.state, members: g.members.length, totalLag: g.totalLag},
  ];
}

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
    const groups = await groupLag(this.connection(flags), {groupId: flags.group});
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
