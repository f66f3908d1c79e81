import {Box, Text} from 'ink';
import type {PassStats, StoreStats} from '../../../scenarios/claim-check/events.js';
import {PASSES, type Pass} from '../../../scenarios/claim-check/schema.js';
import {fit} from '../../kit/format.js';
import {formatBytes} from '../../table.js';

export interface ClaimsViewState {
  expected: number;
  produced: number;
  store: StoreStats;
  passes: Partial<Record<Pass, PassStats>>;
  faults: {orphan: number; deleted: number; corrupted: number};
  gc: string | null;
  audit: {recordBytes: number; largestRecord: number; limit: number; storeBytes: number} | null;
}

const num = (n: number | undefined) => (n === undefined ? '-' : String(n));

const ROWS: Array<[label: string, cell: (st: PassStats | undefined) => string]> = [
  ['done', (st) => num(st?.done)],
  ['read via store', (st) => num(st?.resolved)],
  ['inline', (st) => (st ? String(st.handled - st.resolved) : '-')],
  ['dead-lettered', (st) => num(st?.deadLettered)],
];

/**
 * The three readers side by side (records done, payloads read through the
 * store or inline, dead letters), then what the producer did with the store
 * and, at the end, bytes on the broker against bytes in the store.
 */
export function ClaimsPanel({state, width, rows}: {state: ClaimsViewState; width: number; rows: number}) {
  const label = 16;
  const col = Math.max(10, Math.min(18, Math.floor((width - label) / PASSES.length)));
  const cell = (text: string) => fit(text, col - 1).padEnd(col);
  const s = state.store;
  const lines = [
    `store: ${s.uploaded} uploaded (${formatBytes(s.bytesUploaded)}), ${s.skipped} already there, ${s.inline} inline`,
    `faults: ${state.faults.orphan} orphaned, ${state.faults.deleted} deleted, ${state.faults.corrupted} corrupted${state.gc ? ` · ${state.gc}` : ''}`,
    state.audit
      ? `broker ${formatBytes(state.audit.recordBytes)} (largest record ${formatBytes(state.audit.largestRecord)} ≤ ${formatBytes(state.audit.limit)}) · store ${formatBytes(state.audit.storeBytes)}`
      : null,
  ].filter((l): l is string => l !== null);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text dimColor>{''.padEnd(label)}</Text>
        {PASSES.map((p) => (
          <Text key={p} bold>
            {cell(p)}
          </Text>
        ))}
      </Text>
      {ROWS.map(([name, value]) => (
        <Text key={name} wrap="truncate-end">
          <Text dimColor>{name.padEnd(label)}</Text>
          {PASSES.map((p) => (
            <Text key={p} color={name === 'dead-lettered' && (state.passes[p]?.deadLettered ?? 0) > 0 ? 'yellow' : undefined}>
              {cell(value(state.passes[p]))}
            </Text>
          ))}
        </Text>
      ))}
      {lines.slice(0, Math.max(0, rows - ROWS.length - 1)).map((l) => (
        <Text key={l.slice(0, 8)} wrap="truncate-end">
          {fit(l, width)}
        </Text>
      ))}
    </Box>
  );
}
