import type {GroupPartitionLag} from '../../kafka/topic-poller.js';
import {NONE} from '../table.js';
import {HEALTH_COLOR, sparkline} from './format.js';
import type {Column} from './Table.js';

const lagColor = (p: GroupPartitionLag) => (p.health && p.health !== 'OK' ? HEALTH_COLOR[p.health] : undefined);

/** COMMITTED, LAG, TREND and HEALTH of one group on a partition: shared by PartitionTable and LagTable. */
export function lagColumns<Row>(lagOf: (row: Row) => GroupPartitionLag | undefined, trendWidth: number): Array<Column<Row>> {
  const withLag = <T>(f: (p: GroupPartitionLag) => T, otherwise: T) => (row: Row) => {
    const p = lagOf(row);
    return p ? f(p) : otherwise;
  };
  return [
    {header: 'COMMITTED', align: 'right', text: withLag((p) => (p.committed === null ? NONE : String(p.committed)), NONE)},
    {header: 'LAG', align: 'right', text: withLag((p) => String(p.lag), NONE), color: withLag(lagColor, undefined)},
    {header: 'TREND', text: withLag((p) => sparkline(p.trend, trendWidth), ''), color: withLag(lagColor, undefined), maxWidth: trendWidth},
    {
      header: 'HEALTH',
      text: withLag((p) => p.health ?? NONE, NONE),
      color: withLag((p) => (p.health ? HEALTH_COLOR[p.health] : undefined), undefined),
      bold: withLag((p) => p.health === 'STOP' || p.health === 'STALL', false),
    },
  ];
}

/** Who owns the partition in the group's current assignment: client id and host. */
export function ownerColumn<Row>(lagOf: (row: Row) => GroupPartitionLag | undefined): Column<Row> {
  return {
    header: 'OWNER',
    text: (row) => {
      const owner = lagOf(row)?.owner;
      return owner ? `${owner.clientId} (${owner.clientHost})` : NONE;
    },
    maxWidth: 40,
  };
}
