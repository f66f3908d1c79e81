import {LiveValue, type Subscribable} from '../../core/event-stream.js';
import {isCommonEvent, type KindEvent, type ScenarioEvent} from '../../scenarios/events.js';
import type {LogLine, RunState, ScenarioPresenter} from './presenter.js';

export interface ScenarioModelState<M extends object> {
  run: RunState;
  /** The kind's own view state (its presenter folds it). */
  kind: M;
}

const LOG_SIZE = 200;

/** Lines every kind's events panel shows: pattern events and notes. */
function commonLogLine(e: ScenarioEvent): LogLine | null {
  switch (e.type) {
    case 'dead-lettered':
      return {text: `${e.record.topic} ${e.record.partition}@${e.record.offset} → ${e.dltTopic} (${e.reason}: ${e.error.message})`, color: 'red'};
    case 'retry-scheduled':
      return {text: `${e.record.topic} ${e.record.partition}@${e.record.offset} → ${e.retryTopic} (attempt ${e.attempt} failed: ${e.error.message})`, color: 'yellow'};
    case 'scenario-note':
      return {text: e.text, color: 'cyan'};
    default:
      return null;
  }
}

/**
 * What a scenario's live view shows, folded from the run's event stream and
 * published a few times a second (events can come thousands per second): the
 * run's common facts, and the kind's own state folded by its presenter.
 */
export class ScenarioModel<E extends KindEvent, M extends object> {
  readonly state: LiveValue<ScenarioModelState<M>>;
  private readonly draft: ScenarioModelState<M>;
  private dirty = false;
  /** Skipped records by coordinates: groups reading the same topic skip the same record. */
  private readonly skipped = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    events: Subscribable<ScenarioEvent<E>>,
    private readonly presenter: ScenarioPresenter<E, M>,
    flushMs = 200,
  ) {
    const run: RunState = {scenario: '', runId: '', topics: [], startedAt: Date.now(), expected: 0, produced: 0, skipped: 0, log: [], stopping: false, report: null};
    this.draft = {run, kind: presenter.initial()};
    this.state = new LiveValue<ScenarioModelState<M>>({run: {...run}, kind: this.draft.kind});
    events.subscribe((e) => this.take(e));
    this.timer = setInterval(() => this.flush(), flushMs);
    this.timer.unref();
  }

  /** The user asked to stop: say so until the report comes. */
  stopping(): void {
    this.draft.run.stopping = true;
    this.dirty = true;
    this.flush();
  }

  private take(e: ScenarioEvent<E>): void {
    const run = this.draft.run;
    if (isCommonEvent(e)) {
      switch (e.type) {
        case 'scenario-started':
          // The clock keeps counting from when the view started: replacing startedAt would make it jump back.
          Object.assign(run, {scenario: e.scenario, runId: e.runId, topics: e.topics, expected: e.expected});
          break;
        case 'workload-progress':
          run.produced = e.produced;
          break;
        case 'report':
          run.report = e;
          break;
      }
    }
    if (isCommonEvent(e) && e.type === 'skipped') {
      this.skipped.add(`${e.record.topic}/${e.record.partition}/${e.record.offset}`);
      run.skipped = this.skipped.size;
    }
    this.draft.kind = this.presenter.fold(this.draft.kind, e);
    const line = (isCommonEvent(e) ? commonLogLine(e) : null) ?? this.presenter.logLine(e);
    if (line) {
      run.log.push({at: Date.now(), ...line});
      if (run.log.length > 2 * LOG_SIZE) run.log.splice(0, run.log.length - LOG_SIZE);
    }
    this.dirty = true;
    if (e.type === 'report') this.flush();
  }

  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const kind = this.presenter.settle ? this.presenter.settle(this.draft.kind) : this.draft.kind;
    this.state.set({run: {...this.draft.run, log: this.draft.run.log.slice(-LOG_SIZE)}, kind: {...kind}});
  }

  close(): void {
    clearInterval(this.timer);
  }
}
