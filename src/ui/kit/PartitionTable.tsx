import type {GroupPartitionLag, PartitionStats} from '../../kafka/topic-poller.js';
import {formatRate} from './format.js';
import {lagColumns, ownerColumn} from './lag-columns.js';
import {Table, type Column} from './Table.js';

export interface PartitionTableProps {
  partitions: readonly PartitionStats[];
  /** One group's rows (matched by partition number): adds its COMMITTED, LAG, TREND and HEALTH columns. */
  lag?: readonly GroupPartitionLag[];
  /** Lines for header and rows; more partitions scroll. Default: all. */
  height?: number;
  scroll?: number;
  /** Cells of the trend sparkline. */
  trendWidth?: number;
  /** Add the owning member (client id and host) of each partition. */
  showOwner?: boolean;
}

/** Partitions of one topic: log start, end offset, records/s, and optionally one group's lag and health on each. */
export function PartitionTable({partitions, lag, height, scroll, trendWidth = 10, showOwner = false}: PartitionTableProps) {
  const byPartition = new Map((lag ?? []).map((p) => [p.partition, p]));
  const lagOf = (row: PartitionStats) => byPartition.get(row.partition);
  const columns: Array<Column<PartitionStats>> = [
    {header: 'P', align: 'right', text: (p) => String(p.partition)},
    {header: 'START', align: 'right', text: (p) => String(p.start)},
    {header: 'END', align: 'right', text: (p) => String(p.end)},
    {header: 'REC/S', align: 'right', text: (p) => formatRate(p.rate)},
    ...(lag ? lagColumns(lagOf, trendWidth) : []),
    ...(lag && showOwner ? [ownerColumn(lagOf)] : []),
  ];
  return <Table columns={columns} rows={partitions} rowKey={(p) => String(p.partition)} height={height} scroll={scroll} empty="no partitions yet" />;
}
