import {Box, Text} from 'ink';
import type {ReplayProgress} from '../../../patterns/replay/events.js';
import type {ReplayPhase} from '../../../scenarios/replay/events.js';
import {cents} from '../../../scenarios/replay/payments.js';
import {fit, formatRate} from '../../kit/format.js';
import {formatDuration} from '../../table.js';

export const REPLAY_PHASES: readonly ReplayPhase[] = ['build', 'fix', 'replay', 'replay-again', 'check'];

export type ModelStage = 'before' | 'from-scratch' | 'after' | 'after-replay-again';

export interface ReplayViewState {
  /** The step under way and what it does. */
  phase: ReplayPhase | null;
  detail: string;
  /** The records the step under way sends (build) or replays. */
  planned: number | null;
  /** The latest progress of the replay under way (or the last one), per pass. */
  passes: Partial<Record<'replay' | 'replay-again', ReplayProgress>>;
  /** Who the replay waits for to leave the group. */
  waiting: string | null;
  models: Partial<Record<ModelStage, {sumCents: number; wrongCustomers: number; customers: number}>>;
}

export interface ReplayPanelProps {
  state: ReplayViewState;
  /** Records the build step has sent, and of how many. */
  produced: number;
  expected: number;
  width: number;
  rows: number;
}

/** "████████░░░░ 40%" */
export function bar(done: number, total: number, width: number): string {
  const share = total <= 0 ? 1 : Math.min(1, done / total);
  const full = Math.round(share * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)} ${String(Math.floor(share * 100)).padStart(3)}%`;
}

const eta = (p: ReplayProgress) => (p.done ? 'done' : p.etaMs === null ? 'ETA -' : `ETA ${p.etaMs < 1000 ? '<1s' : formatDuration(p.etaMs)}`);

function PassLine({name, pass, width}: {name: string; pass: ReplayProgress | undefined; width: number}) {
  if (!pass) return <Text dimColor>{`${name.padEnd(13)}not started`}</Text>;
  const barWidth = Math.max(10, Math.min(30, width - 80));
  return (
    <Text wrap="truncate-end">
      <Text>{name.padEnd(13)}</Text>
      <Text color={pass.done ? 'green' : 'cyan'}>{bar(pass.replayed, pass.total, barWidth)}</Text>
      <Text>{`  ${pass.replayed}/${pass.total} replayed · ${formatRate(pass.ratePerSec)}/s · ${eta(pass)} · lag ${pass.lag}`}</Text>
    </Text>
  );
}

function modelText(state: ReplayViewState): string {
  const m = state.models;
  const parts = [
    m['from-scratch'] ? `from scratch ${cents(m['from-scratch'].sumCents)} (${m['from-scratch'].customers} customers)` : null,
    m.before ? `before: ${m.before.wrongCustomers} wrong` : null,
    m.after ? `after replay: ${m.after.wrongCustomers} wrong` : null,
    m['after-replay-again'] ? `after replaying again: ${m['after-replay-again'].wrongCustomers} wrong` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'not read yet';
}

/**
 * The replay scenario as it runs: its steps (done, under way, to come), the
 * build's workload, each replay pass with records replayed of total, rate,
 * ETA and lag, and the read model at each step against the from-scratch one.
 */
export function ReplayPanel({state, produced, expected, width, rows}: ReplayPanelProps) {
  const at = state.phase ? REPLAY_PHASES.indexOf(state.phase) : -1;
  const lines = [
    <Text key="steps" wrap="truncate-end">
      {REPLAY_PHASES.map((p, i) => (
        <Text key={p} color={i < at ? 'green' : i === at ? 'cyan' : undefined} dimColor={i > at} bold={i === at}>
          {i > 0 ? '   ' : ''}
          {p}
          {i < at ? ' ✓' : i === at ? ' ▸' : ''}
        </Text>
      ))}
    </Text>,
    <Text key="detail" dimColor wrap="truncate-end">
      {fit(state.waiting ?? (state.detail || 'starting…'), width - 2)}
    </Text>,
    expected === 0 ? (
      <Text key="build" dimColor>{`${'build'.padEnd(13)}not started`}</Text>
    ) : (
      <Text key="build" wrap="truncate-end">
        <Text>{'build'.padEnd(13)}</Text>
        <Text color={produced >= expected ? 'green' : 'cyan'}>{bar(produced, expected, Math.max(10, Math.min(30, width - 80)))}</Text>
        <Text>{`  ${produced}/${expected} payments sent${produced >= expected && state.phase === 'build' ? ' · projector v1 reading them' : ''}`}</Text>
      </Text>
    ),
    <PassLine key="replay" name="replay" pass={state.passes.replay} width={width} />,
    <PassLine key="again" name="replay again" pass={state.passes['replay-again']} width={width} />,
    <Text key="model" wrap="truncate-end">
      <Text>{'read model'.padEnd(13)}</Text>
      <Text color={state.models.before && !state.models.after ? 'red' : state.models.after?.wrongCustomers === 0 ? 'green' : undefined}>{modelText(state)}</Text>
    </Text>,
  ];
  return <Box flexDirection="column">{lines.slice(0, Math.max(1, rows))}</Box>;
}
