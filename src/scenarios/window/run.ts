import {ConfigError} from '../../core/errors.js';
import {sleep} from '../../core/sleep.js';
import {withAdmin} from '../../kafka/client.js';
import type {Connection} from '../../kafka/connection.js';
import {fetchPartitionOffsets} from '../../kafka/groups.js';
import {readPartitions} from '../../kafka/partition-reader.js';
import {Publisher, type OutgoingMessage} from '../../kafka/publisher.js';
import {decodeJson} from '../../patterns/record-handler.js';
import {describeWindows} from '../../patterns/window/windows.js';
import {paced} from '../pacer.js';
import {scenarioReport, type InvariantResult, type ScenarioReport} from '../report.js';
import {placeRunGroups} from '../run-groups.js';
import {readRun, thisRunOnly} from '../run-log.js';
import {newRunId, type RunOptions} from '../run-options.js';
import {ensureScenarioTopics} from '../topics.js';
import {ScenarioAggregator, windowSpecOf} from './aggregator.js';
import type {WindowKindEvent, WindowPhase} from './events.js';
import {AGGREGATION_INVARIANTS, type AggregationFacts, type EmittedResult} from './invariants.js';
import {recompute, type OracleRecord} from './oracle.js';
import type {WindowScenario} from './schema.js';
import {clockStart, sensorReadings, type Reading} from './workload.js';

const SNAPSHOT_EVERY_MS = 250;

/**
 * The window scenario: seeded readings go to the readings topic while the
 * aggregators (one per aggregation, each under its own per-run app id) read
 * them; once they have committed the first part they crash and start again,
 * restoring their stores from the changelogs and resuming from their committed
 * offsets, and read the rest.
 * Then every window is recomputed from the readings read back and compared with
 * the results read back (read_committed) from the output topics.
 */
export async function runWindowScenario(s: WindowScenario, opts: RunOptions<WindowKindEvent>): Promise<ScenarioReport> {
  if (opts.resume !== undefined) throw new ConfigError('the window scenario has no --resume: run it again (each run aggregates only its own readings)');
  const started = Date.now();
  const runId = newRunId();
  const source = s.topics.readings.name;
  await ensureScenarioTopics(opts, [s.topics.readings, ...s.aggregations.map((a) => a.output)]);
  const emit = (e: WindowKindEvent) => opts.events.emit(e);
  const phase = (p: WindowPhase, detail: string) => emit({type: 'window-phase', at: Date.now(), phase: p, detail});
  const appId = (name: string) => `${s.appIdPrefix}.${runId}.${name}`;
  // Each run's groups start where the readings topic ends now; its outputs are read back from where they end now.
  await placeRunGroups(opts, s.aggregations.map((a) => ({groupId: appId(a.name), topics: [source]})), false);
  const runStart = await endOffsets(opts.conn, source);
  const outputStart = new Map(await Promise.all(s.aggregations.map(async (a) => [a.name, await endOffsets(opts.conn, a.output.name)] as const)));

  const limit = AbortSignal.any([AbortSignal.timeout(s.timeout), ...(opts.signal ? [opts.signal] : [])]);
  const ctx = {conn: opts.conn, topic: source, scenario: s.name, runId, start: runStart, emit, signal: limit, metrics: opts.metrics};
  const aggregators = s.aggregations.map((a) => new ScenarioAggregator(a, appId(a.name), ctx));
  const readings = sensorReadings(s, runId, clockStart());
  const crashAt = s.crashAt > 0 ? Math.max(1, Math.floor(readings.length * s.crashAt)) : readings.length;
  const publisher = await Publisher.connect(opts.conn, `scenario-${s.name}`);
  const snapshots = setInterval(() => aggregators.forEach((a) => a.snapshot()), SNAPSHOT_EVERY_MS);
  try {
    opts.events.emit({type: 'scenario-started', at: started, scenario: s.name, runId, resumed: false, expected: readings.length, topics: [source, ...s.aggregations.map((a) => a.output.name)], groups: aggregators.map((a) => a.appId)});
    phase('aggregate', `${s.aggregations.map((a) => `${a.name}: avg(celsius) per sensor, ${describeWindows(windowSpecOf(a))}`).join('; ')}`);
    // The aggregators read as the readings are sent. Once they have committed the first part, the rest
    // is sent and each is killed mid-batch by the first reading of it: what it read since its last
    // commit dies with it, and a transaction in flight is left open.
    const crashing = crashAt < readings.length;
    aggregators.forEach((a) => a.start(crashing ? crashAt + 1 : undefined));
    await send(publisher, readings.slice(0, crashAt), 0, readings.length, s.workload.rate, opts);
    if (crashing) {
      await untilCommitted(aggregators, await endOffsets(opts.conn, source), limit);
      const rest = send(publisher, readings.slice(crashAt), crashAt, readings.length, s.workload.rate, opts);
      rest.catch(() => {});
      await Promise.all(aggregators.map((a) => a.crashed()));
      phase('crash', `the aggregators were killed at reading ${crashAt + 1} of ${readings.length}, past the ${crashAt} they had committed: no last commit; their in-memory stores and uncommitted work are gone`);
      phase('restore', 'the aggregators start again: open transactions aborted, stores restored from their changelogs, reading on from their committed offsets');
      aggregators.forEach((a) => a.start());
      await rest;
    }
    await untilCommitted(aggregators, await endOffsets(opts.conn, source), limit);
    for (const a of aggregators) await a.stop();
  } finally {
    clearInterval(snapshots);
    await publisher.close();
  }

  phase('check', 'recomputing every window from the readings read back, comparing with the results read back');
  const records = (await readRun(opts.conn, source, runId)).map((r): OracleRecord => {
    const reading = decodeJson(r.value) as Reading;
    return {key: r.key?.toString() ?? '', partition: r.partition, offset: r.offset, timestamp: r.timestamp, celsius: reading.celsius};
  });
  const facts: AggregationFacts[] = [];
  for (const a of aggregators) {
    const oracle = recompute(records, {size: a.def.size, advance: a.def.advance ?? a.def.size, grace: a.def.grace});
    facts.push({name: a.def.name, oracle, emitted: await readResults(opts.conn, a.def.output.name, outputStart.get(a.def.name)!, runId), log: a.log, crashExpected: crashAt < readings.length});
  }
  const invariants: InvariantResult[] = facts.flatMap((f) => AGGREGATION_INVARIANTS.map((check) => check(f)));
  if (limit.aborted && !opts.signal?.aborted) invariants.unshift({name: 'finished-in-time', ok: false, detail: `the aggregators were not through within ${s.timeout} ms`});
  const counts: Record<string, number> = {inputs: records.length, crashes: Math.max(0, ...aggregators.map((a) => a.log.crashes))};
  for (const f of facts) {
    counts[`results.${f.name}`] = f.emitted.length;
    counts[`expected.${f.name}`] = f.oracle.closed.length;
    counts[`late.${f.name}`] = f.log.late.length;
    counts[`outOfOrder.${f.name}`] = f.oracle.outOfOrder;
    counts[`lostAtCrash.${f.name}`] = f.log.lostAtCrash;
    counts[`restored.${f.name}`] = f.log.restores.filter((r) => r.afterCrash).reduce((n, r) => n + r.restored, 0);
  }
  const timings: Record<string, number> = {};
  for (const a of aggregators) for (const r of a.log.restores.filter((x) => x.afterCrash)) timings[`restore.${a.def.name}`] = r.ms;
  counts.restoredEntries = facts.reduce((n, f) => n + counts[`restored.${f.name}`]!, 0);
  counts.skippedOtherRuns = new Set(aggregators.flatMap((a) => [...a.log.skipped])).size;
  const report = scenarioReport({scenario: s.name, runId, resumed: false, started, signal: opts.signal}, {counts, timings, invariants});
  opts.events.emit(report);
  return report;
}

async function send(publisher: Publisher, part: OutgoingMessage[], before: number, total: number, rate: number, opts: RunOptions<WindowKindEvent>): Promise<void> {
  await paced(part.length, rate, (a, b) => publisher.send(part.slice(a, b)), opts.signal, (sent) => opts.events.emit({type: 'workload-progress', at: Date.now(), produced: before + sent, total}));
}

/** Waits until every aggregator has committed its way to `through` on every partition (or one failed, or time is up). */
async function untilCommitted(aggregators: ScenarioAggregator[], through: ReadonlyMap<number, number>, signal: AbortSignal): Promise<void> {
  const there = (a: ScenarioAggregator) => [...through].every(([p, end]) => (a.log.positions.get(p) ?? 0) >= end);
  while (!aggregators.every(there) && !aggregators.some((a) => a.failed) && !signal.aborted) await sleep(20, signal).catch(() => {});
}

async function endOffsets(conn: Connection, topic: string): Promise<Map<number, number>> {
  return withAdmin(conn, async (admin) => new Map((await fetchPartitionOffsets(admin, topic)).map((o) => [o.partition, o.end])));
}

/** This run's results on an output topic since `from` (read_committed: only what the aggregators' transactions committed; other runs' results, written meanwhile, are not this run's). */
async function readResults(conn: Connection, topic: string, from: ReadonlyMap<number, number>, runId: string): Promise<EmittedResult[]> {
  const ours = thisRunOnly(runId);
  const out: EmittedResult[] = [];
  for await (const r of readPartitions(conn, {topic, start: {kind: 'positions', positions: from, otherwise: {kind: 'earliest'}}, stopAtEnd: true, isolation: 'read_committed'})) {
    if (r.value !== null && ours.accepts(r)) out.push(decodeJson(r.value) as EmittedResult);
  }
  return out;
}
