import {worstHealth} from '../../kafka/health.js';
import type {TopicSnapshot} from '../../kafka/topic-poller.js';
import {formatRate, HEALTH_COLOR} from '../kit/format.js';
import {Table} from '../kit/Table.js';

export interface TopicsPanelProps {
  snapshots: readonly TopicSnapshot[];
  height?: number;
}

/** One line per topic of the scenario: records, rate, and its consumer groups' lag and health. */
export function TopicsPanel({snapshots, height}: TopicsPanelProps) {
  return (
    <Table
      rows={snapshots}
      rowKey={(s) => s.topic}
      height={height}
      empty="waiting for the first poll…"
      columns={[
        {header: 'TOPIC', text: (s) => s.topic, maxWidth: 40},
        {header: 'RECORDS', align: 'right', text: (s) => String(s.partitions.reduce((n, p) => n + p.end - p.start, 0))},
        {header: 'REC/S', align: 'right', text: (s) => formatRate(s.rate)},
        {header: 'GROUPS', align: 'right', text: (s) => String(s.groups.length)},
        {header: 'LAG', align: 'right', text: (s) => String(s.groups.reduce((n, g) => n + g.totalLag, 0))},
        {
          header: 'HEALTH',
          text: (s) => worstHealth(s.groups.map((g) => g.health)) ?? '',
          color: (s) => {
            const h = worstHealth(s.groups.map((g) => g.health));
            return h ? HEALTH_COLOR[h] : undefined;
          },
        },
      ]}
    />
  );
}
