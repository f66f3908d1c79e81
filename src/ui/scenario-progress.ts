import type {ScenarioEvent} from '../scenarios/events.js';

type Progress = Extract<ScenarioEvent, {type: 'progress'}>;

/** One line of progress for plain output: how many records ended where. */
export function progressLine(p: Progress): string {
  const done = p.handled + p.deadLettered;
  return `${done}/${p.expected} done · ${p.handled} handled · ${p.deadLettered} dead-lettered · ${p.onRungs} retry copies`;
}
