import type {ReactNode} from 'react';
import type {CommonScenarioEvent, KindEvent, ScenarioEvent} from '../../scenarios/events.js';
import type {ScenarioReport} from '../../scenarios/report.js';

/** One line of the events panel (and of plain output). */
export interface LogLine {
  text: string;
  color?: string;
}

/** What every run shows, whatever its kind: folded from the common events. */
export interface RunState {
  scenario: string;
  runId: string;
  topics: string[];
  /** When the view started: the run clock counts from here and never jumps back. */
  startedAt: number;
  expected: number;
  produced: number;
  /** Records the participants skipped as not this run's (each counted once). */
  skipped: number;
  /** Notable events, newest last. */
  log: Array<LogLine & {at: number}>;
  /** The user asked to stop (q): the run is finishing its report. */
  stopping: boolean;
  report: ScenarioReport | null;
}

export interface KindPanelProps<M> {
  state: M;
  now: number;
  width: number;
  /** Lines the panel has. */
  rows: number;
}

/**
 * How a scenario kind shows its run: its panel in the live view, its lines in
 * plain output and the events panel, its progress. `E` are the kind's own
 * events, `M` the view state it folds them into. Paired with its kind in the
 * command layer's registry.
 */
export interface ScenarioPresenter<E extends KindEvent, M extends object> {
  /** The panel's title: "sagas", "pipeline", "replay". */
  title: string;
  /** The state before any event: what the first frame shows. */
  initial(): M;
  /** Folds one event into the state (the model's own draft: mutate it, or return a new one). */
  fold(state: M, e: ScenarioEvent<E>): M;
  /** Derives what is costly to keep per event, just before the state is shown (a few times a second). */
  settle?(state: M): M;
  Panel(props: KindPanelProps<M>): ReactNode;
  /** Lines the panel wants out of the `body` lines the view has. */
  panelRows(state: M, body: number): number;
  /** A line for the events panel; null for events not worth one. */
  logLine(e: ScenarioEvent<E>): LogLine | null;
  /** A line for plain output (stderr), as it happens; null for events it does not print (progress comes from `progress`). */
  plainLine(e: ScenarioEvent<E>): string | null;
  /** The status bar's facts, e.g. "settled 12/60". */
  facts(state: M, run: RunState): string[];
  /**
   * Plain output's progress: `line` printed at most once a second when it
   * changed; when it did not, `waiting` (if any) says what the run waits for.
   */
  progress(state: M, now: number): {line: string; waiting?: string} | null;
}

/** The workload progress most kind panels show, from the two common events that carry it; true when `e` was one of them. */
export function foldWorkload(s: {expected: number; produced: number}, e: ScenarioEvent<KindEvent>): boolean {
  const common = e as CommonScenarioEvent;
  if (common.type === 'scenario-started') s.expected = common.expected;
  else if (common.type === 'workload-progress') s.produced = common.produced;
  else return false;
  return true;
}
