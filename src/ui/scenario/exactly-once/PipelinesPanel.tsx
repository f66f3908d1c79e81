import {Box, Text} from 'ink';
import type {BatchHeader} from '../../../kafka/batch-headers.js';
import type {PipelineAudit, PipelineStats} from '../../../scenarios/exactly-once/events.js';
import {EOS_MODES, type EosMode} from '../../../scenarios/exactly-once/schema.js';
import {batchHeaderLine} from '../../batch-header-line.js';
import {fit} from '../../kit/format.js';

export interface EosViewState {
  expected: number;
  produced: number;
  partitions: number;
  pipelines: Partial<Record<EosMode, PipelineStats>>;
  audits: Partial<Record<EosMode, PipelineAudit>>;
  /** The latest batch headers of the watched partition of the transactional output, oldest first. */
  batches: BatchHeader[];
  watched: string;
}

export interface PipelinesPanelProps {
  state: EosViewState;
  width: number;
  rows: number;
}

type Row = [label: string, cell: (st: PipelineStats | undefined, audit: PipelineAudit | undefined) => string];

const num = (n: number | undefined) => (n === undefined ? '-' : String(n));

/** The rows of the table, one fact per row, one column per pipeline. */
const ROWS: Row[] = [
  ['in (processed)', (st) => num(st?.processed)],
  ['out (committed)', (st) => num(st?.outputs)],
  // Known once the outputs are read back at the end (read_committed).
  ['dup/missing', (_st, a) => (a ? `${a.duplicates}/${a.missing}` : '-')],
  ['txns ok/aborted', (st) => (st ? `${st.committed}/${st.aborted}` : '-')],
  ['fenced', (st) => num(st?.fenced)],
  ['crash/zombie', (st) => (st ? `${st.crashes}/${st.zombies}` : '-')],
  ['drops', (st) => num(st?.responsesDropped)],
];

/** Where a batch header line starts being about the batch (the partition is in the heading). */
const withoutPartition = (line: string) => line.replace(/^partition \d+\s+/, '');

function headerColor(h: BatchHeader): string | undefined {
  if (h.endTxnMarker === 'COMMIT') return 'green';
  if (h.endTxnMarker === 'ABORT') return 'red';
  return undefined;
}

/**
 * The three pipelines side by side (one column each: what went in and out,
 * duplicates and missing once audited, transactions, fencing, faults met),
 * then the batch headers of one partition of the transactional output:
 * producer id, epoch, sequences and the COMMIT/ABORT markers.
 */
export function PipelinesPanel({state, width, rows}: PipelinesPanelProps) {
  const label = width < 100 ? 16 : 20;
  // Capped: on a wide screen the numbers stay near their labels.
  const col = Math.max(10, Math.min(22, Math.floor((width - label) / EOS_MODES.length)));
  const cellText = (text: string) => fit(text, col - 1).padEnd(col);
  const batchRows = Math.max(0, rows - ROWS.length - 1);
  // One line to spare (a small terminal): the latest header only, no heading.
  const single = batchRows === 1;
  const batches = state.batches.slice(single ? -1 : -(batchRows - 1));
  const heading = single ? 'latest batch p0: ' : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text dimColor>{''.padEnd(label)}</Text>
        {EOS_MODES.map((m) => (
          <Text key={m} bold color={m === 'transactional' ? 'green' : undefined}>
            {cellText(m)}
          </Text>
        ))}
      </Text>
      {ROWS.map(([name, cell]) => (
        <Text key={name} wrap="truncate-end">
          <Text dimColor>{fit(name, label - 1).padEnd(label)}</Text>
          {EOS_MODES.map((m) => {
            const text = cell(state.pipelines[m], state.audits[m]);
            const audit = state.audits[m];
            const alarm = name === 'dup/missing' && audit && (audit.duplicates > 0 || audit.missing > 0);
            return (
              <Text key={m} color={alarm ? (audit.missing > 0 || m === 'transactional' ? 'red' : 'yellow') : undefined}>
                {cellText(text)}
              </Text>
            );
          })}
        </Text>
      ))}
      {batchRows > 1 ? (
        <Text dimColor wrap="truncate-end">
          {fit(`batch headers of ${state.watched || 'the transactional output'}`, width)}
        </Text>
      ) : null}
      {batches.map((h) => (
        <Text key={`${h.baseOffset}`} color={headerColor(h)} wrap="truncate-end">
          {fit(heading + (single ? withoutPartition(batchHeaderLine(h)).replace(/ {2,}/g, '  ') : withoutPartition(batchHeaderLine(h))), width)}
        </Text>
      ))}
      {batchRows > 0 && batches.length === 0 ? <Text dimColor>{fit(`${heading}no batches yet`, width)}</Text> : null}
    </Box>
  );
}
