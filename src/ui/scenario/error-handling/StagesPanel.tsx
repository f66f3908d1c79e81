import {Table} from '../../kit/Table.js';
import type {StageStats} from './stages.js';

export interface StagesPanelProps {
  stages: readonly StageStats[];
  now: number;
  height?: number;
}

const dueIn = (at: number | null, now: number) => (at === null ? '' : at <= now ? 'due' : `in ${((at - now) / 1000).toFixed(1)}s`);

/** The pipeline of a dead-letter / retry scenario: what each stage handled, sent on, holds, and when the next is due. */
export function StagesPanel({stages, now, height}: StagesPanelProps) {
  return (
    <Table
      rows={stages}
      rowKey={(s) => s.topic}
      height={height}
      columns={[
        {header: 'STAGE', text: (s) => s.topic, maxWidth: 40},
        {header: 'HANDLED', align: 'right', text: (s) => String(s.handled)},
        {header: 'RETRIED', align: 'right', text: (s) => String(s.retried), color: (s) => (s.retried > 0 ? 'yellow' : undefined)},
        {header: 'HELD', align: 'right', text: (s) => String(s.held), color: (s) => (s.held > 0 ? 'cyan' : undefined)},
        {header: 'NEXT DUE', text: (s) => dueIn(s.nextDue, now)},
        {header: 'DEAD', align: 'right', text: (s) => String(s.deadLettered), color: (s) => (s.deadLettered > 0 ? 'red' : undefined)},
      ]}
    />
  );
}
