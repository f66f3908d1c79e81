import {LiveValue, type Subscribable} from '../../core/event-stream.js';
import type {ScenarioEvent} from '../../scenarios/events.js';
import type {ScenarioReport} from '../../scenarios/report.js';
import type {SagaState, SagaView} from '../../patterns/saga/saga-board.js';
import {stageStats, type StageStats} from './stages.js';

export interface ScenarioModelState {
  scenario: string;
  runId: string;
  topics: string[];
  /** The pipeline's stages (source, rungs, DLT), for dead-letter and retry scenarios. */
  stageTopics: string[];
  startedAt: number;
  expected: number;
  produced: number;
  done: number;
  stages: StageStats[];
  board: {counts: Record<SagaState, number>; recent: SagaView[]} | null;
  /** Records the participants skipped as not this run's (each once). */
  skipped: number;
  /** Notable events, newest last, as one-line texts. */
  log: Array<{at: number; text: string; color?: string}>;
  report: ScenarioReport | null;
}

const LOG_SIZE = 200;

function logLine(e: ScenarioEvent): {text: string; color?: string} | null {
  switch (e.type) {
    case 'dead-lettered':
      return {text: `${e.record.topic} ${e.record.partition}@${e.record.offset} → ${e.dltTopic} (${e.reason}: ${e.error.message})`, color: 'red'};
    case 'retry-scheduled':
      return {text: `${e.record.topic} ${e.record.partition}@${e.record.offset} → ${e.retryTopic} (attempt ${e.attempt} failed: ${e.error.message})`, color: 'yellow'};
    case 'saga-step':
      if (e.event === 'OrderCompleted') return {text: `${e.orderId} completed`, color: 'green'};
      if (e.event === 'OrderCancelled') return {text: `${e.orderId} cancelled${e.detail ? ` (${e.detail})` : ''}`, color: 'red'};
      if (e.event === 'PaymentRefunded' || e.event === 'InventoryReleased') return {text: `${e.orderId} ${e.event === 'PaymentRefunded' ? 'refunded' : 'stock released'}`, color: 'yellow'};
      return null;
    case 'service-crashed':
      return {text: `${e.service} instance ${e.instance} crashed — it restarts; its uncommitted record goes to another member`, color: 'magenta'};
    case 'replay-phase':
      return {text: `${e.phase}: ${e.detail}`, color: 'cyan'};
    case 'replay-executed':
      return {text: `group ${e.group}: ${e.moved} partitions moved, ${e.records} records to read again`, color: 'yellow'};
    case 'read-model':
      return {text: `read model ${e.stage}: total ${(e.sumCents / 100).toFixed(2)}, ${e.wrongCustomers} customers differ from the from-scratch result`, color: e.wrongCustomers > 0 ? 'red' : 'green'};
    default:
      return null;
  }
}

/**
 * What a scenario's live view shows, folded from the run's event stream and
 * published a few times a second (events can come thousands per second).
 */
export class ScenarioModel {
  readonly state = new LiveValue<ScenarioModelState>({
    scenario: '',
    runId: '',
    topics: [],
    stageTopics: [],
    startedAt: Date.now(),
    expected: 0,
    produced: 0,
    done: 0,
    stages: [],
    board: null,
    skipped: 0,
    log: [],
    report: null,
  });
  private readonly patternEvents: ScenarioEvent[] = [];
  private readonly skipped = new Set<string>();
  private draft: ScenarioModelState;
  private dirty = false;
  private readonly timer: NodeJS.Timeout;

  constructor(events: Subscribable<ScenarioEvent>, flushMs = 200) {
    this.draft = {...this.state.current()};
    events.subscribe((e) => this.take(e));
    this.timer = setInterval(() => this.flush(), flushMs);
    this.timer.unref();
  }

  private take(e: ScenarioEvent): void {
    const d = this.draft;
    switch (e.type) {
      case 'scenario-started':
        Object.assign(d, {scenario: e.scenario, runId: e.runId, topics: e.topics, stageTopics: e.stages ?? [], expected: e.expected, startedAt: e.at});
        break;
      case 'workload-progress':
        d.produced = e.produced;
        break;
      case 'progress':
        d.done = e.handled + e.deadLettered;
        break;
      case 'saga-board':
        d.board = {counts: e.counts, recent: e.recent};
        d.done = e.counts.completed + e.counts.cancelled;
        break;
      case 'report':
        d.report = e;
        break;
      case 'replay-progress':
        // While a replay runs, progress is the group reading its records again.
        d.expected = e.total;
        d.done = e.replayed;
        break;
      case 'skipped':
        this.skipped.add(`${e.record.topic}/${e.record.partition}/${e.record.offset}`);
        d.skipped = this.skipped.size;
        break;
      case 'handled':
      case 'retry-scheduled':
      case 'retry-held':
      case 'dead-lettered':
        this.patternEvents.push(e);
        break;
    }
    const line = logLine(e);
    if (line) {
      d.log.push({at: Date.now(), ...line});
      if (d.log.length > 2 * LOG_SIZE) d.log.splice(0, d.log.length - LOG_SIZE);
    }
    this.dirty = true;
    if (e.type === 'report') this.flush();
  }

  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const stages = stageStats(this.draft.stageTopics, this.patternEvents);
    // Between the run's own (slower) progress reports, count what the pipeline events say is finished.
    const finished = stages.slice(0, -1).reduce((n, s) => n + s.handled + s.deadLettered, 0);
    const done = stages.length > 0 ? Math.max(this.draft.done, finished) : this.draft.done;
    this.state.set({...this.draft, stages, done, log: this.draft.log.slice(-LOG_SIZE)});
  }

  close(): void {
    clearInterval(this.timer);
  }
}
