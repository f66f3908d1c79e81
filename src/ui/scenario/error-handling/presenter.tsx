import type {PatternEvent} from '../../../patterns/events.js';
import type {ScenarioEvent} from '../../../scenarios/events.js';
import {plural} from '../../../core/plural.js';
import type {ScenarioPresenter} from '../presenter.js';
import {stageStats, type StageStats} from './stages.js';
import {StagesPanel} from './StagesPanel.js';

export interface PipelineState {
  /** The pipeline's stages: source, rungs, DLT. */
  stageTopics: string[];
  patternEvents: PatternEvent[];
  stages: StageStats[];
  expected: number;
  /** The run's own count, read from the topics (slower than the pattern events). */
  reported: {handled: number; deadLettered: number; onRungs: number} | null;
  /** Records handled or dead-lettered. */
  done: number;
}

const seconds = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(1)}s`;

/** "waiting: 12 records on orders.v1.retry.5s, next due in 3.2s" — what a run with nothing new to say waits for. */
export function waitingLine(stages: readonly StageStats[], now: number): string | undefined {
  const waiting = stages.filter((s) => s.held > 0);
  if (waiting.length === 0) return undefined;
  return `waiting: ${waiting.map((s) => `${plural(s.held, 'record')} on ${s.topic}, ${s.nextDue === null || s.nextDue <= now ? 'due now' : `next due in ${seconds(s.nextDue - now)}`}`).join('; ')}`;
}

function settle(s: PipelineState): PipelineState {
  const stages = stageStats(s.stageTopics, s.patternEvents);
  // Between the run's own (slower) counts, count what the pipeline events say is finished.
  const finished = stages.slice(0, -1).reduce((n, st) => n + st.handled + st.deadLettered, 0);
  const reported = s.reported ? s.reported.handled + s.reported.deadLettered : 0;
  return {...s, stages, done: stages.length > 0 ? Math.max(reported, finished) : reported};
}

/** Dead-letter and retry scenarios: the pipeline (source, rungs, DLT) with what each stage handled, holds and dead-lettered. */
export const errorHandlingPresenter: ScenarioPresenter<never, PipelineState> = {
  title: 'pipeline',
  initial: () => ({stageTopics: [], patternEvents: [], stages: [], expected: 0, reported: null, done: 0}),
  fold(s, e: ScenarioEvent) {
    switch (e.type) {
      case 'scenario-started':
        s.stageTopics = e.stages ?? [];
        s.expected = e.expected;
        s.stages = stageStats(s.stageTopics, []);
        break;
      case 'progress':
        s.reported = {handled: e.handled, deadLettered: e.deadLettered, onRungs: e.onRungs};
        s.expected = e.expected;
        break;
      case 'handled':
      case 'retry-scheduled':
      case 'dead-lettered':
        s.patternEvents.push(e);
        break;
    }
    return s;
  },
  settle,
  Panel: ({state, now, rows}) => <StagesPanel stages={state.stages} now={now} height={rows} />,
  panelRows: (s, body) => Math.max(3, Math.min(s.stageTopics.length + 2, Math.floor(body * 0.4))),
  logLine: () => null,
  plainLine: () => null,
  facts: (s, run) => [`sent ${run.produced}/${run.expected}`, `done ${s.done}/${s.expected}`],
  progress(state, now) {
    const s = settle(state);
    if (!s.reported) return null;
    const r = s.reported;
    return {line: `${r.handled + r.deadLettered}/${s.expected} done · ${r.handled} handled · ${r.deadLettered} dead-lettered · ${r.onRungs} retry copies`, waiting: waitingLine(s.stages, now)};
  },
};
