import {Box, Text} from 'ink';
import type {VariantAudit, VariantStats} from '../../../scenarios/outbox/events.js';
import {OUTBOX_VARIANTS, type OutboxVariant} from '../../../scenarios/outbox/schema.js';
import {fit} from '../../kit/format.js';

export interface OutboxViewState {
  expected: number;
  variants: Partial<Record<OutboxVariant, VariantStats>>;
  audits: Partial<Record<OutboxVariant, VariantAudit>>;
}

type Cell = (st: VariantStats | undefined, audit: VariantAudit | undefined) => string;

const num = (n: number | null | undefined) => (n === undefined || n === null ? '-' : String(n));

/** The rows of the table, one fact per row, one column per variant. */
const ROWS: Array<[label: string, cell: Cell]> = [
  ['orders placed', (st) => num(st?.placed)],
  ['events published', (st) => num(st?.published)],
  ['outbox pending', (st) => num(st?.pending)],
  ['relay lag', (st) => (st?.pending === null || st === undefined ? '-' : `${(st.lagMs / 1000).toFixed(1)}s`)],
  ['app crashes', (st) => num(st?.appCrashes)],
  ['send failures', (st) => num(st?.sendFailures)],
  ['relay crashes', (st) => (st?.pending === null ? '-' : num(st?.relayCrashes))],
  // Known once the database and the topic are read back at the end.
  ['orders w/o event', (_st, a) => num(a?.ordersWithoutEvent)],
  ['copies dropped', (_st, a) => num(a?.duplicatesDropped)],
];

function alarm(row: string, a: VariantAudit | undefined, st: VariantStats | undefined): string | undefined {
  if (row === 'orders w/o event' && a) return a.ordersWithoutEvent > 0 ? 'red' : 'green';
  if (row === 'copies dropped' && a && a.duplicatesDropped > 0) return 'yellow';
  if (row === 'outbox pending' && st?.brokerDown) return 'yellow';
  return undefined;
}

/** The dual write and the outbox side by side: what each placed and published, what waits, the faults met, then the audit. */
export function VariantsPanel({state, width}: {state: OutboxViewState; width: number}) {
  const label = 18;
  const col = Math.max(12, Math.min(24, Math.floor((width - label) / OUTBOX_VARIANTS.length)));
  const cellText = (text: string) => fit(text, col - 1).padEnd(col);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text dimColor>{''.padEnd(label)}</Text>
        {OUTBOX_VARIANTS.map((v) => {
          const down = state.variants[v]?.brokerDown;
          return (
            <Text key={v} bold color={down ? 'red' : v === 'outbox' ? 'green' : undefined}>
              {cellText(down ? `${v} (broker down)` : v)}
            </Text>
          );
        })}
      </Text>
      {ROWS.map(([name, cell]) => (
        <Text key={name} wrap="truncate-end">
          <Text dimColor>{fit(name, label - 1).padEnd(label)}</Text>
          {OUTBOX_VARIANTS.map((v) => (
            <Text key={v} color={alarm(name, state.audits[v], state.variants[v])}>
              {cellText(cell(state.variants[v], state.audits[v]))}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
