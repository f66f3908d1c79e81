import {Box, Text} from 'ink';
import type {SagaState, SagaStep, SagaView} from '../../../patterns/saga/saga-board.js';
import {SAGA_MILESTONES, type SagaMilestone} from '../../../scenarios/saga/reached.js';
import {fit} from '../../kit/format.js';

export interface SagaBoardPanelProps {
  /** Sagas that reached each milestone so far (cumulative). */
  reached: Record<SagaMilestone, number>;
  /** Sagas in each state now. */
  counts: Record<SagaState, number>;
  recent: readonly SagaView[];
  width: number;
  /** Lines for the whole board (three of them are the counters). */
  rows: number;
}

const MILESTONE_STYLE: Record<SagaMilestone, {color: string; label: string}> = {
  placed: {color: 'white', label: 'placed'},
  paid: {color: 'cyan', label: 'paid'},
  reserved: {color: 'cyan', label: 'reserved'},
  completed: {color: 'green', label: '✓ completed'},
  cancelled: {color: 'red', label: '✗ cancelled'},
  refunded: {color: 'yellow', label: '↩ refunded'},
  released: {color: 'yellow', label: '↩ released'},
};

const MARK: Record<SagaStep['mark'], string> = {ok: ' ✓', failed: ' ✗', compensated: ' ↩', outcome: ''};
const MARK_COLOR: Record<SagaStep['mark'], string | undefined> = {ok: 'green', failed: 'red', compensated: 'yellow', outcome: undefined};

/** placed ✓ → paid ✓ → inventory ✗ → refunded ↩ → cancelled */
export function timeline(steps: readonly SagaStep[]): string {
  return steps.map((s) => `${s.step}${MARK[s.mark]}`).join(' → ');
}

/** Sagas still on their way (no outcome yet), and those whose compensation is still running. */
export function inFlight(counts: Record<SagaState, number>): {running: number; compensating: number} {
  return {running: counts.placed + counts.paid + counts.reserved, compensating: counts.compensating};
}

/**
 * The saga board: how many sagas reached each step so far (cumulative, so the
 * numbers are the report's: placed = orders, refunded = refunds …), how many
 * are still under way, then the latest sagas with their step timeline.
 */
export function SagaBoardPanel({reached, counts, recent, width, rows}: SagaBoardPanelProps) {
  const idWidth = Math.min(28, Math.max(8, ...recent.map((s) => s.orderId.length)));
  const now = inFlight(counts);
  return (
    <Box flexDirection="column">
      {[SAGA_MILESTONES.slice(0, 4), SAGA_MILESTONES.slice(4)].map((milestones, line) => (
        <Text key={line} wrap="truncate-end">
          <Text dimColor>{line === 0 ? 'reached   ' : '          '}</Text>
          {milestones.map((m, i) => (
            <Text key={m} color={MILESTONE_STYLE[m].color}>
              {i > 0 ? '  ' : ''}
              {MILESTONE_STYLE[m].label} <Text bold>{reached[m]}</Text>
            </Text>
          ))}
        </Text>
      ))}
      <Text wrap="truncate-end" dimColor>
        {`under way running ${now.running}  compensating ${now.compensating}`}
      </Text>
      {recent.slice(0, Math.max(0, rows - 3)).map((saga) => (
        <Text key={saga.orderId} wrap="truncate-end">
          <Text dimColor>{fit(saga.orderId, idWidth).padEnd(idWidth)} </Text>
          {saga.steps.map((s, i) => (
            <Text key={i} color={MARK_COLOR[s.mark]} bold={s.mark === 'outcome'}>
              {i > 0 ? <Text dimColor> → </Text> : null}
              {`${s.step}${MARK[s.mark]}`}
            </Text>
          ))}
        </Text>
      ))}
      {recent.length === 0 ? <Text dimColor>{fit('no sagas yet — orders are on their way', width)}</Text> : null}
    </Box>
  );
}
