import {ConfigError} from '../../core/errors.js';
import {Publisher} from '../../kafka/publisher.js';
import {rungGroup} from '../../patterns/retry-ladder/retry-ladder.js';
import {EventStream} from '../../core/event-stream.js';
import type {PatternEvent} from '../../patterns/events.js';
import {headerText, KpatHeader} from '../../patterns/headers.js';
import {FlakyDependency} from '../faults.js';
import {firstAttemptLatencies, ORDER_INVARIANTS, type InvariantResult} from './invariants.js';
import {createParticipant, derivedTopics, rungsOf, type Participant} from './participants/participant.js';
import {percentile, scenarioReport, type RunFacts, type ScenarioReport} from '../report.js';
import {ensureScenarioTopics} from '../topics.js';
import {classify, loadRunData, recordId, standingDeadLetters, type RunData} from './run-data.js';
import {countSkipped, latestRunId, readRun, runHeaders, thisRunOnly} from '../run-log.js';
import {placeRunGroups} from '../run-groups.js';
import type {ErrorHandlingScenario} from './schema.js';
import {sleep} from '../../core/sleep.js';
import {newRunId, type RunOptions} from '../run-options.js';
import {orderRecord} from './workload/orders.js';
import {paced} from '../pacer.js';

/**
 * Runs a scenario end to end: topics, participants, workload, waiting until
 * every record of the run is accounted for (read from the topics), then the
 * invariants and the report. With `resume`, no new workload is sent: the
 * participants finish an earlier run (after a crash, say) and it is judged.
 */
export async function runErrorHandlingScenario(scenario: ErrorHandlingScenario, opts: RunOptions): Promise<ScenarioReport> {
  const events = opts.events;
  const started = Date.now();
  const unknown = scenario.invariants.filter((n) => !(n in ORDER_INVARIANTS));
  if (unknown.length > 0) throw new ConfigError(`scenario ${scenario.name}: unknown invariants ${unknown.join(', ')} — known: ${Object.keys(ORDER_INVARIANTS).join(', ')}`);
  const main = scenario.participants[0]!;
  const sourcePartitions = scenario.topics.find((t) => t.name === main.topic)?.partitions ?? 1;

  const topics = [...scenario.topics, ...scenario.participants.flatMap((p) => derivedTopics(p, sourcePartitions))];
  const partitions = await ensureScenarioTopics(opts, topics);
  for (const t of topics) {
    const have = partitions.get(t.name) ?? 0;
    if (t.name !== main.topic && have < sourcePartitions) {
      throw new ConfigError(`topic ${t.name} has ${have} partitions but ${main.topic} has ${sourcePartitions}: dead-letter and retry topics need at least as many — recreate it`);
    }
  }

  const runId = opts.resume === true ? await latestRunId(opts.conn, main.topic, scenario.name) : (opts.resume ?? newRunId());
  if (!runId) throw new ConfigError(`nothing to resume: ${main.topic} has no records of a ${scenario.name} run — run \`kpat scenario ${scenario.name}\` first`);
  const resumed = opts.resume !== undefined;
  const dep = scenario.faults.dependency;
  const dependency = dep && dep.failRate > 0 ? new FlakyDependency({failRate: dep.failRate, recoverAfterMs: dep.recoverAfter, seed: scenario.workload.seed}) : undefined;

  const groups = scenario.participants.flatMap((p) => [{groupId: p.group, topics: [p.topic]}, ...rungsOf(p).map((r) => ({groupId: rungGroup(p.group, p.topic, r), topics: [r.topic]}))]);
  await placeRunGroups(opts, groups, resumed);

  const publisher = await Publisher.connect(opts.conn, `scenario-${scenario.name}`);
  const patternEvents = new EventStream<PatternEvent>();
  patternEvents.subscribe((e) => events.emit(e));
  const skipped = countSkipped(patternEvents);
  const participants: Participant[] = [];
  try {
    for (const spec of scenario.participants) participants.push(await createParticipant(spec, {conn: opts.conn, publisher, events: patternEvents, dependency, filter: thisRunOnly(runId)}));
    for (const p of participants) await p.start();

    const workload = {...scenario.workload, runId};
    const expected = resumed ? new Set((await readRun(opts.conn, main.topic, runId)).map(recordId)).size : workload.count;
    const rungTopics = participants.flatMap((p) => p.rungs.map((r) => r.topic));
    const dltTopic = participants[0]!.dltTopic;
    dependency?.start();
    events.emit({type: 'scenario-started', at: Date.now(), scenario: scenario.name, runId, resumed, expected, topics: [main.topic, ...rungTopics, dltTopic, main.output], stages: [main.topic, ...rungTopics, dltTopic], groups: groups.map((g) => g.groupId)});

    if (!resumed) {
      await paced(
        workload.count,
        workload.rate,
        (from, to) =>
          publisher.send(
            Array.from({length: to - from}, (_, k) => {
              const m = orderRecord(workload, from + k);
              return {...m, headers: {...m.headers, ...runHeaders(scenario.name, runId)}};
            }),
          ),
        opts.signal,
        (produced) => events.emit({type: 'workload-progress', at: Date.now(), produced, total: workload.count}),
      );
    }

    const topicsOfRun = {source: main.topic, output: main.output, dlt: dltTopic, rungs: rungTopics};
    const deadline = started + scenario.timeout;
    let data: RunData;
    for (;;) {
      data = await loadRunData(opts.conn, topicsOfRun, runId);
      const {handled, deadLettered, accounted} = outcomes(data);
      const onRungs = [...data.rungs.values()].reduce((n, rs) => n + rs.length, 0);
      events.emit({type: 'progress', at: Date.now(), expected, handled, deadLettered, onRungs});
      if (accounted >= expected || Date.now() > deadline || opts.signal?.aborted) break;
      await sleep(500, opts.signal);
    }
    const timedOut = outcomes(data).accounted < expected;

    const ctx = {data, sourceTopic: main.topic, group: main.group, headOfLineBoundMs: scenario.headOfLineBound, resumed};
    const invariants: InvariantResult[] = scenario.invariants.map((name) => ORDER_INVARIANTS[name]!(ctx));
    if (timedOut) {
      invariants.unshift({
        name: 'finished-in-time',
        ok: false,
        detail: opts.signal?.aborted ? 'stopped before every record was handled or dead-lettered' : `not every record was handled or dead-lettered within ${scenario.timeout} ms`,
      });
    }
    const report = buildReport({scenario: scenario.name, runId, resumed, started, signal: opts.signal}, data, invariants, rungsOf(main).map((r) => r.topic), skipped());
    events.emit(report);
    return report;
  } finally {
    await Promise.all(participants.map((p) => p.stop()));
    await publisher.close();
  }
}

/** How many of the run's records ended handled, or dead-lettered and not sent back. */
function outcomes(data: RunData): {handled: number; deadLettered: number; accounted: number} {
  const handled = new Set(data.output.map(recordId));
  const dead = new Set(standingDeadLetters(data).map(recordId));
  return {handled: handled.size, deadLettered: [...dead].filter((id) => !handled.has(id)).length, accounted: new Set([...handled, ...dead]).size};
}

function buildReport(run: RunFacts, data: RunData, invariants: InvariantResult[], rungTopics: string[], skippedOtherRuns: number): ScenarioReport {
  const kinds = [...new Map(data.source.map((r) => [recordId(r), classify(r)])).values()];
  const reasons = new Map<string, number>();
  for (const d of data.dlt) {
    const r = headerText(d, KpatHeader.reason) ?? 'unknown';
    reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }
  const lat = firstAttemptLatencies(data).sort((a, b) => a - b);
  const retriedThenHandled = data.output.filter((r) => (JSON.parse(r.value!.toString()) as {attempt: number}).attempt > 1).length;
  return scenarioReport(run, {
    counts: {
      produced: kinds.length,
      redriven: data.source.filter((r) => headerText(r, KpatHeader.redrivenFrom) !== undefined).length,
      good: kinds.filter((k) => k === 'good').length,
      malformed: kinds.filter((k) => k === 'malformed').length,
      invalid: kinds.filter((k) => k === 'invalid').length,
      handled: outcomes(data).handled,
      retriedThenHandled,
      deadLettered: outcomes(data).deadLettered,
      ...Object.fromEntries([...reasons].map(([r, n]) => [`deadLettered.${r}`, n])),
      ...Object.fromEntries(rungTopics.map((t) => [`onRung.${t}`, data.rungs.get(t)?.length ?? 0])),
      skippedOtherRuns,
    },
    timings: {firstAttemptP50Ms: percentile(lat, 0.5), firstAttemptP99Ms: percentile(lat, 0.99), firstAttemptMaxMs: lat.at(-1) ?? 0},
    invariants,
  });
}
