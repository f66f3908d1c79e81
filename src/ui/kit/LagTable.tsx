import type {GroupPartitionLag} from '../../kafka/topic-poller.js';
import {lagColumns, ownerColumn} from './lag-columns.js';
import {Table, type Column} from './Table.js';

export interface LagTableProps {
  /** One group's partitions (GroupLagSnapshot.partitions), possibly of several topics. */
  rows: readonly GroupPartitionLag[];
  height?: number;
  scroll?: number;
  trendWidth?: number;
  /** Add a TOPIC column (a group reading several topics). */
  showTopic?: boolean;
  showOwner?: boolean;
}

/** One consumer group per partition: committed, end, lag with its trend, and health. */
export function LagTable({rows, height, scroll, trendWidth = 10, showTopic = false, showOwner = false}: LagTableProps) {
  const self = (p: GroupPartitionLag) => p;
  const columns: Array<Column<GroupPartitionLag>> = [
    ...(showTopic ? [{header: 'TOPIC', text: (p: GroupPartitionLag) => p.topic, maxWidth: 40}] : []),
    {header: 'P', align: 'right', text: (p) => String(p.partition)},
    {header: 'END', align: 'right', text: (p) => String(p.end)},
    ...lagColumns(self, trendWidth),
    ...(showOwner ? [ownerColumn(self)] : []),
  ];
  return (
    <Table columns={columns} rows={rows} rowKey={(p) => `${p.topic}\u0000${p.partition}`} height={height} scroll={scroll} empty="nothing committed and no partitions assigned" />
  );
}
