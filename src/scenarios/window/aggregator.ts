import {EventStream} from '../../core/event-stream.js';
import type {Connection} from '../../kafka/connection.js';
import {avg} from '../../patterns/window/aggregations.js';
import type {LateRecord, WindowEvent, WindowResult} from '../../patterns/window/events.js';
import {WindowAggregation, type WindowSummary} from '../../patterns/window/window-aggregation.js';
import {checkWindowSpec, type WindowSpec} from '../../patterns/window/windows.js';
import type {RecordFilter} from '../../patterns/record-filter.js';
import {runHeaders, thisRunOnly} from '../run-log.js';
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
  /** Input records processed but not committed when it crashed: lost with it, done again after the restart. */
  lostAtCrash: number;
}

export const windowSpecOf = (a: WindowScenarioAggregation): WindowSpec =>
  checkWindowSpec(a.advance === undefined || a.advance === a.size ? {kind: 'tumbling', sizeMs: a.size, graceMs: a.grace} : {kind: 'hopping', sizeMs: a.size, advanceMs: a.advance, graceMs: a.grace});

/**
 * One aggregation of the scenario, started, crashed and started again: each life
 * is a fresh WindowAggregation under the run's app id (so the second restores the
 * first's store from the changelog and resumes from its committed offsets).
 */
export class ScenarioAggregator {
  readonly log: AggregationLog = {results: [], late: [], skipped: new Set(), crashes: 0, restores: [], committed: 0, positions: new Map(), lostAtCrash: 0};
  private life: {aggregation: WindowAggregation<unknown>; stop: AbortController; running: Promise<WindowSummary>; over: Promise<void>} | null = null;
  /** Set when a life fails: the run stops waiting for it (stop and crash then throw its error). */
  failed = false;

  constructor(
    readonly def: WindowScenarioAggregation,
    readonly appId: string,
    private readonly ctx: {conn: Connection; topic: string; scenario: string; runId: string; start: ReadonlyMap<number, number>; emit: (e: WindowKindEvent) => void; signal: AbortSignal; metrics?: PatternMetrics},
  ) {}

  /**
   * Starts a life: restores the store from the changelog, reads on from the committed
   * offsets until stopped. With `crashAfter` it is killed mid-batch by the reading with
   * that number (its own run's readings, counted from the run's start): what it
   * processed since its last commit, that reading included, dies with it.
   */
  start(crashAfter?: number): void {
    const events = new EventStream<WindowEvent>();
    const afterCrash = this.log.crashes > 0;
    events.subscribe((e) => this.record(e, afterCrash));
    this.ctx.metrics?.window(events, {topic: this.ctx.topic, group: this.appId});
    const stop = new AbortController();
    const own = thisRunOnly(this.ctx.runId);
    let seen = 0;
    /** Where it had read to when killed: past its last commit, what it lost. */
    let readAtCrash: Record<number, number> | null = null;
    const filter: RecordFilter = {
      reason: own.reason,
      accepts: (r) => {
        if (!own.accepts(r)) return false;
        if (++seen === crashAfter) {
          readAtCrash = aggregation.snapshot(0).positions;
          aggregation.crash();
        }
        return true;
      },
    };
    const aggregation = new WindowAggregation<unknown>({
      conn: this.ctx.conn,
      topic: this.ctx.topic,
      windows: windowSpecOf(this.def),
      aggregation: avg('celsius') as never,
      emit: 'final',
      outputTopic: this.def.output.name,
      // Runs share the output topic: each result says whose it is.
      outputHeaders: runHeaders(this.ctx.scenario, this.ctx.runId),
      appId: this.appId,
      filter,
      events,
      signal: AbortSignal.any([stop.signal, this.ctx.signal]),
    });
    const running = aggregation.run();
    const over = running.then(
      () => {
        if (readAtCrash) this.noteCrash(readAtCrash);
      },
      () => {
        this.failed = true;
      },
    );
    this.life = {aggregation, stop, running, over};
  }

  private noteCrash(read: Record<number, number>): void {
    const lost = Object.entries(read).reduce((n, [p, o]) => n + Math.max(0, o - (this.log.positions.get(Number(p)) ?? this.ctx.start.get(Number(p)) ?? 0)), 0);
    this.log.lostAtCrash += lost;
    this.log.crashes++;
    this.ctx.emit({type: 'window-crash', at: Date.now(), aggregation: this.def.name, committedRecords: this.log.committed, lostRecords: lost});
  }

  /** Resolves once the life started with `crashAfter` is over: killed (or out of time); throws the error it failed with. */
  async crashed(): Promise<void> {
    const life = this.life;
    if (!life) return;
    await life.over;
    this.life = null;
    await life.running;
  }

  /** Ends the running life cleanly: a last commit, then the consumer leaves. */
  async stop(): Promise<void> {
    if (!this.life) return;
    this.life.stop.abort();
    await this.life.running;
    this.snapshot();
    this.life = null;
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
