import {EventStream} from '../../core/event-stream.js';
import type {Connection} from '../../kafka/connection.js';
import {avg} from '../../patterns/window/aggregations.js';
import type {LateRecord, WindowEvent, WindowResult} from '../../patterns/window/events.js';
import {WindowAggregation, type WindowSummary} from '../../patterns/window/window-aggregation.js';
import {checkWindowSpec, type WindowSpec} from '../../patterns/window/windows.js';
import {thisRunOnly} from '../run-log.js';
import type {WindowKindEvent} from './events.js';
import type {WindowScenarioAggregation} from './schema.js';
import type {PatternMetrics} from '../../patterns/metrics/index.js';

/** What one aggregation did over the run, across its crash: from its committed events only. */
export interface AggregationLog {
  results: WindowResult[];
  late: LateRecord[];
  /** Records skipped as not this run's: partition@offset. */
  skipped: Set<string>;
  crashes: number;
  /** Changelog records restored after each start, and whether that start followed a crash. */
  restores: Array<{restored: number; windows: number; ms: number; afterCrash: boolean}>;
  /** Input records committed so far (past the run's start, other runs' included). */
  committed: number;
  /** The committed next offset per input partition. */
  positions: Map<number, number>;
}

export const windowSpecOf = (a: WindowScenarioAggregation): WindowSpec =>
  checkWindowSpec(a.advance === undefined || a.advance === a.size ? {kind: 'tumbling', sizeMs: a.size, graceMs: a.grace} : {kind: 'hopping', sizeMs: a.size, advanceMs: a.advance, graceMs: a.grace});

/**
 * One aggregation of the scenario, started, crashed and started again: each life
 * is a fresh WindowAggregation under the run's app id (so the second restores the
 * first's store from the changelog and resumes from its committed offsets).
 */
export class ScenarioAggregator {
  readonly log: AggregationLog = {results: [], late: [], skipped: new Set(), crashes: 0, restores: [], committed: 0, positions: new Map()};
  private life: {aggregation: WindowAggregation<unknown>; stop: AbortController; running: Promise<WindowSummary>} | null = null;
  /** Set when a life fails: the run stops waiting for it (stop and crash then throw its error). */
  failed = false;

  constructor(
    readonly def: WindowScenarioAggregation,
    readonly appId: string,
    private readonly ctx: {conn: Connection; topic: string; runId: string; start: ReadonlyMap<number, number>; emit: (e: WindowKindEvent) => void; signal: AbortSignal; metrics?: PatternMetrics},
  ) {}

  /** Starts a life: restores the store from the changelog, reads on from the committed offsets until stopped. */
  start(): void {
    const events = new EventStream<WindowEvent>();
    const afterCrash = this.log.crashes > 0;
    events.subscribe((e) => this.record(e, afterCrash));
    this.ctx.metrics?.window(events, {topic: this.ctx.topic, group: this.appId});
    const stop = new AbortController();
    const aggregation = new WindowAggregation<unknown>({
      conn: this.ctx.conn,
      topic: this.ctx.topic,
      windows: windowSpecOf(this.def),
      aggregation: avg('celsius') as never,
      emit: 'final',
      outputTopic: this.def.output.name,
      appId: this.appId,
      filter: thisRunOnly(this.ctx.runId),
      events,
      signal: AbortSignal.any([stop.signal, this.ctx.signal]),
    });
    const running = aggregation.run();
    running.catch(() => (this.failed = true));
    this.life = {aggregation, stop, running};
  }

  /** Ends the running life cleanly: a last commit, then the consumer leaves. */
  async stop(): Promise<void> {
    if (!this.life) return;
    this.life.stop.abort();
    await this.life.running;
    this.snapshot();
    this.life = null;
  }

  /** Kills the running life mid-stream: its in-memory store and stream times are gone; only what it committed remains. */
  async crash(): Promise<void> {
    if (!this.life) return;
    this.life.stop.abort();
    await this.life.running;
    this.life = null;
    this.log.crashes++;
    this.ctx.emit({type: 'window-crash', at: Date.now(), aggregation: this.def.name, committedRecords: this.log.committed});
  }

  snapshot(): void {
    if (!this.life) return;
    const s = this.life.aggregation.snapshot(24);
    this.ctx.emit({type: 'window-snapshot', at: Date.now(), aggregation: this.def.name, open: s.open, openCount: s.openCount, streamTimes: s.streamTimes});
  }

  private record(e: WindowEvent, afterCrash: boolean): void {
    switch (e.type) {
      case 'window-result':
        this.log.results.push(e);
        break;
      case 'late-record':
        this.log.late.push(e);
        break;
      case 'record-skipped':
        this.log.skipped.add(`${e.partition}@${e.offset}`);
        return;
      case 'restore-done':
        this.log.restores.push({restored: e.restored, windows: e.windows, ms: e.ms, afterCrash});
        break;
      case 'window-committed':
        this.log.positions = new Map(Object.entries(e.positions).map(([p, o]) => [Number(p), o]));
        this.log.committed = Object.entries(e.positions).reduce((n, [p, o]) => n + o - (this.ctx.start.get(Number(p)) ?? 0), 0);
        break;
    }
    this.ctx.emit({type: 'window-event', at: e.at, aggregation: this.def.name, event: e});
  }
}
