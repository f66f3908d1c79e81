import {withAdmin} from '../../kafka/client.js';
import type {Connection} from '../../kafka/connection.js';
import {ConfigError, OperationError} from '../../core/errors.js';
import {committedOffsets, fetchPartitionOffsets} from '../../kafka/groups.js';
import {Publisher} from '../../kafka/publisher.js';
import {EventStream} from '../../core/event-stream.js';
import {decodeJson} from '../../patterns/record-handler.js';
import type {ReplayEvent} from '../../patterns/replay/events.js';
import {followCatchUp, replayedRanges, type CatchUpRange} from '../../patterns/replay/progress.js';
import {executeReplay, planReplay, waitUntilEmpty} from '../../patterns/replay/replay.js';
import {describeTarget} from '../../patterns/replay/target.js';
import {countSkipped, readRun} from '../run-log.js';
import {placeRunGroups} from '../run-groups.js';
import type {PatternEvent} from '../../patterns/events.js';
import {paced} from '../pacer.js';
import type {ScenarioReport} from '../report.js';
import {ensureScenarioTopics} from '../topics.js';
import {newRunId, type RunOptions} from '../run-options.js';
import type {ReplayKindEvent, ReplayPhase} from './events.js';
import {REPLAY_INVARIANTS, type ReplayFacts, type ReplayPass} from './invariants.js';
import {APPLY_WITH_BUG, applyFixed, byCustomer, modelDifferences, PaymentSchema, paymentRecord, totalsFromScratch, type ApplyPayment, type Payment} from './payments.js';
import {readTotals, TotalsProjector} from './projector.js';
import {replayReport} from './report.js';
import type {ReplayScenario} from './schema.js';

const BUGGY_VERSION = 1;
const FIXED_VERSION = 2;

/**
 * The replay scenario: version 1 of a projector builds a read model with a bug; the
 * fix (version 2, starting from an empty model) gets the group replayed to when the
 * run's payments began; the rebuilt model must equal one computed from scratch; a
 * second replay must change nothing. Every step is judged from the topics.
 */
export async function runReplayScenario(s: ReplayScenario, opts: RunOptions<ReplayKindEvent>): Promise<ScenarioReport> {
  if (opts.resume !== undefined) throw new ConfigError('the replay scenario has no --resume: run it again (each run replays only its own records)');
  await ensureScenarioTopics(opts, [s.topics.payments, s.topics.totals]);
  const run = new ReplayRun(s, opts, await Publisher.connect(opts.conn, `scenario-${s.name}`));
  try {
    opts.events.emit({type: 'scenario-started', at: run.started, scenario: s.name, runId: run.runId, resumed: false, expected: s.workload.count, topics: [run.source, run.totalsTopic], groups: [s.group]});

    run.phase('build', `projector v${BUGGY_VERSION} (bug: ${s.bug}) builds the total paid per customer from ${run.source} into ${run.totalsTopic}, as group ${s.group}`);
    const built = await run.buildWithBug();
    const payments = await run.payments();
    const facts: ReplayFacts = {records: payments.length, fromScratch: totalsFromScratch(payments), before: null, after: null, afterAgain: null, replay: null, replayAgain: null};
    run.showModel('from-scratch', facts.fromScratch, facts.fromScratch);
    if (built) {
      facts.before = run.showModel('before', await run.model(BUGGY_VERSION), facts.fromScratch);
      run.phase('fix', `the fix ships: projector v${FIXED_VERSION} subtracts refunds; its model starts empty, so the group is replayed to rebuild it`);
      run.phase('replay', `replaying group ${s.group} to ${new Date(run.runStart).toISOString()}, when this run's payments began`);
      facts.replay = await run.replay('replay');
    }
    if (facts.replay?.progress.done) {
      facts.after = run.showModel('after', await run.model(FIXED_VERSION), facts.fromScratch);
      run.phase('replay-again', 'replaying the same records once more: an idempotent projector must change nothing');
      facts.replayAgain = await run.replay('replay-again');
      facts.afterAgain = run.showModel('after-replay-again', await run.model(FIXED_VERSION), facts.fromScratch);
    }

    run.phase('check', 'comparing the rebuilt model with one computed from scratch');
    const invariants = REPLAY_INVARIANTS.map((check) => check(facts));
    if (!facts.replayAgain?.progress.done) {
      invariants.unshift({name: 'finished-in-time', ok: false, detail: opts.signal?.aborted ? 'stopped before the projector was through' : `the projector was not through within ${s.timeout} ms`});
    }
    const report = replayReport(s, {scenario: s.name, runId: run.runId, resumed: false, started: run.started, signal: opts.signal}, payments, facts, invariants);
    report.counts.skippedOtherRuns = run.skipped();
    opts.events.emit(report);
    return report;
  } finally {
    await run.close();
  }
}

/** One run's context: its topics and clock, the projectors it started, and how long it may wait. */
class ReplayRun {
  readonly started = Date.now();
  readonly runId = newRunId();
  readonly source: string;
  readonly totalsTopic: string;
  /** The replay goes back to here: every record of this run is written after it. */
  runStart = 0;
  private readonly conn: Connection;
  private readonly replayEvents = new EventStream<ReplayEvent>();
  private readonly patternEvents = new EventStream<PatternEvent>();
  /** Records the projectors skipped as not this run's. */
  readonly skipped = countSkipped(this.patternEvents);
  private readonly projectors: TotalsProjector[] = [];
  // A projector whose consumer crashes ends the wait at once instead of at the timeout.
  private readonly crashed = new AbortController();

  constructor(
    private readonly s: ReplayScenario,
    private readonly opts: RunOptions<ReplayKindEvent>,
    private readonly publisher: Publisher,
  ) {
    this.conn = opts.conn;
    this.source = s.topics.payments.name;
    this.totalsTopic = s.topics.totals.name;
    this.replayEvents.subscribe((e) => opts.events.emit(e));
    this.patternEvents.subscribe((e) => opts.events.emit(e));
  }

  phase(phase: ReplayPhase, detail: string): void {
    this.opts.events.emit({type: 'replay-phase', at: Date.now(), phase, detail});
  }

  /** Publishes the model at a step, with how many customers differ from the from-scratch one; returns it. */
  showModel(stage: 'before' | 'from-scratch' | 'after' | 'after-replay-again', model: ReadonlyMap<string, number>, fromScratch: ReadonlyMap<string, number>): ReadonlyMap<string, number> {
    this.opts.events.emit({
      type: 'read-model',
      at: Date.now(),
      stage,
      totalsCents: Object.fromEntries([...model].sort(([a], [b]) => byCustomer(a, b))),
      sumCents: [...model.values()].reduce((a, b) => a + b, 0),
      wrongCustomers: modelDifferences(model, fromScratch).length,
    });
    return model;
  }

  /** The buggy projector reads the run's payments as they are written; true once its group is through them. */
  async buildWithBug(): Promise<boolean> {
    await placeRunGroups(this.opts, [{groupId: this.s.group, topics: [this.source]}], false);
    const from = await committedPositions(this.conn, this.s.group, this.source);
    const v1 = await this.startProjector(BUGGY_VERSION, APPLY_WITH_BUG[this.s.bug]);
    this.runStart = Date.now();
    const workload = {...this.s.workload, topic: this.source, runId: this.runId};
    await paced(
      workload.count,
      workload.rate,
      (a, b) => this.publisher.send(Array.from({length: b - a}, (_, k) => paymentRecord(workload, a + k))),
      this.opts.signal,
      (produced) => this.opts.events.emit({type: 'workload-progress', at: Date.now(), produced, total: workload.count}),
    );
    const ranges: CatchUpRange[] = [...(await endOffsets(this.conn, this.source))].map(([partition, end]) => ({topic: this.source, partition, from: Math.min(from.get(partition) ?? 0, end), to: end}));
    const progress = await followCatchUp(this.conn, {group: this.s.group, ranges, signal: this.waitLimit()});
    await v1.stop();
    this.throwIfCrashed();
    return progress.done;
  }

  /** Waits for the group to be empty, plans and executes its replay to the run's start, then runs the fixed projector through it; null when stopped first. */
  async replay(phase: 'replay' | 'replay-again'): Promise<ReplayPass | null> {
    const started = Date.now();
    if (!(await waitUntilEmpty(this.conn, this.s.group, {signal: this.waitLimit(), events: this.replayEvents}))) return null;
    const plan = await planReplay(this.conn, {group: this.s.group, topics: [{topic: this.source}], target: {kind: 'datetime', timestamp: this.runStart}});
    this.opts.events.emit({
      type: 'replay-planned',
      at: Date.now(),
      phase,
      group: plan.group,
      target: describeTarget(plan.target, plan.time),
      records: plan.totals.replays,
      partitions: plan.rows.map((r) => ({topic: r.topic, partition: r.partition, current: r.current, target: r.target, records: r.records})),
    });
    const rowsBefore = await writtenSoFar(this.conn, this.totalsTopic);
    await executeReplay(this.conn, plan, {events: this.replayEvents});
    const reading = Date.now();
    const projector = await this.startProjector(FIXED_VERSION, applyFixed);
    const progress = await followCatchUp(this.conn, {group: this.s.group, ranges: replayedRanges(plan.rows), events: this.replayEvents, signal: this.waitLimit()});
    const readMs = Date.now() - reading;
    await projector.stop();
    this.throwIfCrashed();
    const rowsWritten = (await writtenSoFar(this.conn, this.totalsTopic)) - rowsBefore;
    return {plan, progress, counts: projector.counts, rowsWritten, durationMs: Date.now() - started, readMs};
  }

  /** The run's payments, read back from the source topic. */
  async payments(): Promise<Payment[]> {
    return (await readRun(this.conn, this.source, this.runId)).map((r) => PaymentSchema.parse(decodeJson(r.value)));
  }

  /** The read model a projector version left in the totals topic: total per customer. */
  async model(version: number): Promise<Map<string, number>> {
    return new Map([...(await readTotals(this.conn, this.totalsTopic, this.runId, version))].map(([customer, row]) => [customer, row.totalCents]));
  }

  async close(): Promise<void> {
    for (const p of this.projectors) await p.stop();
    await this.publisher.close();
  }

  private async startProjector(version: number, apply: ApplyPayment): Promise<TotalsProjector> {
    const o = {conn: this.conn, group: this.s.group, source: this.source, totalsTopic: this.totalsTopic, runId: this.runId, publisher: this.publisher};
    const p = new TotalsProjector({...o, version, apply, events: this.patternEvents, onCrash: (e) => this.crashed.abort(e)});
    this.projectors.push(p);
    await p.start();
    return p;
  }

  /** Until the scenario's timeout, Ctrl-C, or a projector crash. */
  private waitLimit(): AbortSignal {
    const left = Math.max(1, this.started + this.s.timeout - Date.now());
    return AbortSignal.any([this.crashed.signal, AbortSignal.timeout(left), ...(this.opts.signal ? [this.opts.signal] : [])]);
  }

  private throwIfCrashed(): void {
    if (this.crashed.signal.aborted) throw new OperationError(`the projector's consumer crashed: ${(this.crashed.signal.reason as Error).message}`);
  }
}

/** Per partition, where the group will start reading: its committed offset, or the log start (it reads from the beginning). */
async function committedPositions(conn: Connection, group: string, topic: string): Promise<Map<number, number>> {
  return withAdmin(conn, async (admin) => {
    const [offsets, committed] = await Promise.all([fetchPartitionOffsets(admin, topic), committedOffsets(admin, group, [topic])]);
    return new Map(offsets.map((o) => [o.partition, committed.find((c) => c.partition === o.partition)?.offset ?? o.start]));
  });
}

async function endOffsets(conn: Connection, topic: string): Promise<Map<number, number>> {
  return withAdmin(conn, async (admin) => new Map((await fetchPartitionOffsets(admin, topic)).map((o) => [o.partition, o.end])));
}

/** Records ever written to a topic: the sum of its end offsets. */
async function writtenSoFar(conn: Connection, topic: string): Promise<number> {
  return [...(await endOffsets(conn, topic)).values()].reduce((a, b) => a + b, 0);
}
