import type {GroupDetail, MemberRef} from '../kafka/groups.js';
import {NONE, renderTable} from './table.js';

/** Plain and NDJSON renderings of consumer groups, shared by `kpat lag` and `kpat groups`. */
export const NO_GROUPS = 'no consumer groups yet — start one with `kpat consume TOPIC --group NAME`';

import {plural} from '../core/plural.js';

/** "Stable · 2 members · consumer/range": the one-line state of a group. */
export function groupStateLine(g: Pick<GroupDetail, 'groupId' | 'state' | 'protocolType' | 'protocol'> & {members: number}): string {
  const protocol = [g.protocolType, g.protocol].filter((s) => s.length > 0).join('/');
  return [`group ${g.groupId}`, g.state, plural(g.members, 'member'), ...(protocol ? [protocol] : [])].join(' · ');
}

const ownerText = (o: MemberRef | null) => (o ? `${o.memberId} (${o.clientHost})` : NONE);

/** The per-partition table and total line shared by `kpat lag` and `kpat groups describe`. */
export function lagTable(g: GroupDetail): string {
  if (g.partitions.length === 0) return 'no committed offsets and no assigned partitions';
  const anyUncommitted = g.partitions.some((p) => p.uncommitted);
  const lines = [
    renderTable(
      ['TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG', 'OWNER'],
      g.partitions.map((p) => [p.topic, p.partition, p.committed ?? NONE, p.end, p.lag, ownerText(p.owner)]),
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
