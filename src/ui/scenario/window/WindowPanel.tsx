import {Box, Text} from 'ink';
import {fit} from '../../kit/format.js';
import {shortDuration} from '../../window/lines.js';
import {clock} from './lines.js';
import {WINDOW_PHASES, type AggregationView, type WindowViewState} from './state.js';

const streamTimesText = (times: Record<number, number>) =>
  Object.entries(times)
    .map(([p, t]) => `p${p} ${clock(t)}`)
    .join(' ') || 'no stream time yet';

function aggregationLine(name: string, a: AggregationView): string {
  // While restoring, its progress; else stream time per partition (what closes the windows).
  const restoring = a.restore && !a.restore.done ? `restoring ${a.restore.restored}/${a.restore.records}` : null;
  const tail = restoring ?? (a.crashed && !a.restore?.done ? 'crashed' : streamTimesText(a.streamTimes));
  return `${name} ${a.results} res · ${a.late} late · ${a.openCount} open · ${tail}`;
}

/**
 * The window scenario as it runs: its steps, the readings sent, per aggregation
 * its results, late records, restore progress and stream time per partition,
 * then the open windows soonest to close, with the stream time still to go.
 */
export function WindowPanel({state, width, rows}: {state: WindowViewState; width: number; rows: number}) {
  const at = state.phase ? WINDOW_PHASES.indexOf(state.phase) : -1;
  const names = Object.keys(state.aggregations);
  const lines = [
    <Text key="steps" wrap="truncate-end">
      {WINDOW_PHASES.map((p, i) => (
        <Text key={p} color={i < at ? 'green' : i === at ? 'cyan' : undefined} dimColor={i > at} bold={i === at}>
          {i > 0 ? '   ' : ''}
          {p}
          {i < at ? ' ✓' : i === at ? ' ▸' : ''}
        </Text>
      ))}
      <Text>{`   · sent ${state.produced}/${state.expected}`}</Text>
    </Text>,
    ...names.map((name) => {
      const a = state.aggregations[name]!;
      return (
        <Text key={name} wrap="truncate-end" color={a.restore && !a.restore.done ? 'yellow' : undefined}>
          {fit(aggregationLine(name, a), width - 2)}
        </Text>
      );
    }),
  ];
  // The open windows of every aggregation, soonest to close first.
  const open = names.flatMap((name) => state.aggregations[name]!.open.map((w) => ({name, ...w}))).sort((a, b) => a.closesIn - b.closesIn);
  for (const w of open.slice(0, Math.max(0, rows - lines.length))) {
    const value = typeof w.value === 'number' ? `${w.value.toFixed(2)} °C` : '-';
    lines.push(
      <Text key={`${w.name}/${w.key}/${w.start}`} dimColor wrap="truncate-end">
        {fit(`open ${w.key} ${w.name} [${clock(w.start)}–${clock(w.end)}) ${value} · closes in ${shortDuration(Math.max(0, w.closesIn))}`, width - 2)}
      </Text>,
    );
  }
  return <Box flexDirection="column">{lines.slice(0, Math.max(1, rows))}</Box>;
}
