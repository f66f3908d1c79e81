import {Box, Text} from 'ink';
import type {SagaState, SagaStep, SagaView} from '../../patterns/saga/saga-board.js';
import {fit} from '../kit/format.js';

export interface SagaBoardPanelProps {
  counts: Record<SagaState, number>;
  recent: readonly SagaView[];
  width: number;
  /** Lines for the recent sagas. */
  rows: number;
}

const STATE_STYLE: Record<SagaState, {color: string; label: string}> = {
  placed: {color: 'white', label: 'placed'},
  paid: {color: 'cyan', label: 'paid'},
  reserved: {color: 'cyan', label: 'reserved'},
  completed: {color: 'green', label: '✓ completed'},
  compensating: {color: 'yellow', label: '↩ compensating'},
  cancelled: {color: 'red', label: '✗ cancelled'},
};

const MARK: Record<SagaStep['mark'], string> = {ok: ' ✓', failed: ' ✗', compensated: ' ↩', outcome: ''};
const MARK_COLOR: Record<SagaStep['mark'], string | undefined> = {ok: 'green', failed: 'red', compensated: 'yellow', outcome: undefined};

/** placed ✓ → paid ✓ → inventory ✗ → refunded ↩ → cancelled */
export function timeline(steps: readonly SagaStep[]): string {
  return steps.map((s) => `${s.step}${MARK[s.mark]}`).join(' → ');
}

/** The saga board: how many sagas are in each state, then the latest sagas with their step timeline. */
export function SagaBoardPanel({counts, recent, width, rows}: SagaBoardPanelProps) {
  const idWidth = Math.min(28, Math.max(8, ...recent.map((s) => s.orderId.length)));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {(Object.keys(STATE_STYLE) as SagaState[]).map((state, i) => (
          <Text key={state} color={STATE_STYLE[state].color}>
            {i > 0 ? '  ' : ''}
            {STATE_STYLE[state].label} <Text bold>{counts[state]}</Text>
          </Text>
        ))}
      </Text>
      {recent.slice(0, rows).map((saga) => (
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
