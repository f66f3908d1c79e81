import type {ScenarioEvent} from '../scenarios/events.js';

type Progress = Extract<ScenarioEvent, {type: 'progress' | 'saga-board'}>;

/** One line of progress for plain output: how many records (or sagas) ended where. */
export function progressLine(p: Progress): string {
  if (p.type === 'saga-board') {
    return Object.entries(p.counts)
      .map(([state, n]) => `${n} ${state}`)
      .join(' · ');
  }
  const done = p.handled + p.deadLettered;
  return `${done}/${p.expected} done · ${p.handled} handled · ${p.deadLettered} dead-lettered · ${p.onRungs} retry copies`;
}
