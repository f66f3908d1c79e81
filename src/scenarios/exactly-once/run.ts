import {withAdmin} from '../../kafka/client.js';
import {Publisher} from '../../kafka/publisher.js';
import {readBatchHeaders} from '../../kafka/batch-headers.js';
import type {Connection} from '../../kafka/connection.js';
import {auditOutputs} from '../../patterns/exactly-once/audit.js';
import {sleep} from '../../core/sleep.js';
import {countSkipped, thisRunOnly} from '../run-log.js';
import {placeRunGroups} from '../run-groups.js';
import {paced} from '../pacer.js';
import {scenarioReport, type ScenarioReport} from '../report.js';
import {ensureScenarioTopics} from '../topics.js';
import {newRunId, type RunOptions} from '../run-options.js';
import {EventStream} from '../../core/event-stream.js';
import type {PatternEvent} from '../../patterns/events.js';
import {tailBatchHeaders} from './batch-tail.js';
import type {EosKindEvent} from './events.js';
import {processorFaults} from './faults.js';
import {duplicateCauses, eosInvariants, type PipelineOutcome} from './invariants.js';
import {Pipeline} from './pipelines.js';
import {EOS_MODES, type EosMode, type EosScenario} from './schema.js';
import {paymentMessage} from './workload.js';

/** The watched partition of the transactional output in the live view. */
const WATCHED_PARTITION = 0;

async function endOffsets(conn: Connection, topic: string): Promise<Map<number, number>> {
  return withAdmin(conn, async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])));
}

/**
 * Transactions aborted on a topic since `from`: a transaction writes one ABORT
 * marker per partition it touched, so markers are grouped by producer session
 * (id and epoch) and each session counts its most marked partition — exact
 * when a session's aborted transactions all touched that partition (with keys
 * spread over every partition, as here, they do), never more than there were.
 */
async function abortedTransactions(conn: Connection, topic: string, from: ReadonlyMap<number, number>): Promise<number> {
  const perSession = new Map<string, Map<number, number>>();
  for await (const h of readBatchHeaders(conn, {topic, start: {kind: 'positions', positions: from, otherwise: {kind: 'earliest'}}, stopAtEnd: true})) {
    if (h.endTxnMarker !== 'ABORT') continue;
    const session = perSession.get(`${h.producerId}/${h.producerEpoch}`) ?? new Map<number, number>();
    session.set(h.partition, (session.get(h.partition) ?? 0) + 1);
    perSession.set(`${h.producerId}/${h.producerEpoch}`, session);
  }
  return [...perSession.values()].reduce((sum, session) => sum + Math.max(...session.values()), 0);
}

/**
 * Three pipelines — at-least-once, idempotent producer, transactional — read
 * the same payments, each through its own fault proxy with the same seed and
 * plan, and meet the same processor faults at the same payments. The workload
 * is written first, so every pipeline sees the same batches and the faults
 * land on the same units. At the end each output is read back with
 * read_committed and counted per payment.
 */
export async function runEosScenario(s: EosScenario, opts: RunOptions<EosKindEvent>): Promise<ScenarioReport> {
  const started = Date.now();
  const outputs = EOS_MODES.map((m) => s.topics.outputs[m]);
  await ensureScenarioTopics(opts, [{name: s.topics.input, partitions: s.partitions}, ...outputs.map((name) => ({name, partitions: s.partitions}))]);
  const runId = newRunId();
  const filter = thisRunOnly(runId);
  await placeRunGroups(opts, EOS_MODES.map((m) => ({groupId: s.groups[m], topics: [s.topics.input]})), false);

  const start = await endOffsets(opts.conn, s.topics.input);
  const outputStart = new Map(await Promise.all(outputs.map(async (t) => [t, await endOffsets(opts.conn, t)] as const)));
  opts.events.emit({type: 'scenario-started', at: Date.now(), scenario: s.name, runId, resumed: false, expected: s.workload.payments, topics: [s.topics.input, ...outputs], groups: EOS_MODES.map((m) => s.groups[m])});

  const publisher = await Publisher.connect(opts.conn, `scenario-${s.name}`);
  try {
    await paced(
      s.workload.payments,
      s.workload.rate,
      (from, to) => publisher.send(Array.from({length: to - from}, (_, k) => paymentMessage(s, runId, from + k))),
      opts.signal,
      (produced) => opts.events.emit({type: 'workload-progress', at: Date.now(), produced, total: s.workload.payments}),
    );
  } finally {
    await publisher.close();
  }
  const end = await endOffsets(opts.conn, s.topics.input);
  const faults = processorFaults(s, start);

  const patternEvents = new EventStream<PatternEvent>();
  patternEvents.subscribe((e) => opts.events.emit(e));
  const skipped = countSkipped(patternEvents);
  const emit = (e: EosKindEvent | PatternEvent) => (e.type === 'skipped' ? patternEvents.emit(e) : opts.events.emit(e as EosKindEvent));
  const pipelines = new Map<EosMode, Pipeline>();
  const snapshot = () =>
    opts.events.emit({type: 'eos-pipelines', at: Date.now(), partitions: end.size, pipelines: Object.fromEntries([...pipelines].map(([m, p]) => [m, {...p.stats}])) as Record<EosMode, Pipeline['stats']>});
  const tail = tailBatchHeaders(opts.conn, s.topics.outputs.transactional, WATCHED_PARTITION, outputStart.get(s.topics.outputs.transactional)!.get(WATCHED_PARTITION) ?? 0, (e) => opts.events.emit(e));
  const timer = setInterval(snapshot, 400);
  let timedOut = false;
  try {
    for (const mode of EOS_MODES) pipelines.set(mode, await Pipeline.start(s, mode, {conn: opts.conn, filter, faults, end, emit, metrics: opts.metrics}));
    const deadline = started + s.timeout;
    while (![...pipelines.values()].every((p) => p.settled) && !opts.signal?.aborted) {
      if (Date.now() > deadline) {
        timedOut = true;
        break;
      }
      await sleep(200, opts.signal);
    }
  } finally {
    clearInterval(timer);
    await Promise.all([...pipelines.values()].map((p) => p.stop()));
    await tail.stop();
    snapshot();
  }

  const outcomes = {} as Record<EosMode, PipelineOutcome & {missingIds: string[]}>;
  for (const mode of EOS_MODES) {
    const p = pipelines.get(mode)!;
    const topic = s.topics.outputs[mode];
    const a = await auditOutputs({conn: opts.conn, inputTopic: s.topics.input, outputTopic: topic, filter});
    const audit = {outputs: a.outputs, duplicates: a.duplicates, missing: a.missing, uncommittedOnly: a.uncommittedOnly, abortedTransactions: await abortedTransactions(opts.conn, topic, outputStart.get(topic)!)};
    opts.events.emit({type: 'eos-audit', at: Date.now(), mode, audit});
    outcomes[mode] = {stats: {...p.stats, responsesDropped: p.proxy.stats().responsesDropped}, audit, caughtUp: p.stats.caughtUp, partitions: end.size, missingIds: a.missingIds};
  }
  for (const text of duplicateCauses(outcomes)) opts.events.emit({type: 'scenario-note', at: Date.now(), text});

  const invariants = eosInvariants(outcomes, {payments: s.workload.payments, zombies: s.faults.zombie});
  if (timedOut) invariants.unshift({name: 'finished-in-time', ok: false, detail: `not every pipeline caught up within ${s.timeout} ms`});
  const counts: Record<string, number> = {payments: s.workload.payments, transactionSize: s.transactionRecords};
  for (const mode of EOS_MODES) {
    const {stats, audit} = outcomes[mode];
    Object.assign(counts, {
      [`${mode}.outputs`]: audit.outputs,
      [`${mode}.duplicates`]: audit.duplicates,
      [`${mode}.missing`]: audit.missing,
      [`${mode}.abortedTransactions`]: audit.abortedTransactions,
      [`${mode}.uncommittedOnly`]: audit.uncommittedOnly,
      [`${mode}.fenced`]: stats.fenced,
      [`${mode}.crashes`]: stats.crashes,
      [`${mode}.zombies`]: stats.zombies,
      [`${mode}.failedUnits`]: stats.aborted,
      [`${mode}.responsesDropped`]: stats.responsesDropped,
    });
  }
  counts.skippedOtherRuns = skipped();
  const report = scenarioReport({scenario: s.name, runId, resumed: false, started, signal: opts.signal}, {
    counts,
    timings: {sessionTimeoutMs: s.sessionTimeout},
    invariants,
  });
  opts.events.emit(report);
  return report;
}
