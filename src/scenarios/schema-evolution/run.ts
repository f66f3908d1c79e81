import avro from 'avsc';
import {ConfigError, OperationError} from '../../core/errors.js';
import {sleep} from '../../core/sleep.js';
import {readPartitions} from '../../kafka/partition-reader.js';
import {Publisher} from '../../kafka/publisher.js';
import {RegistryClient} from '../../kafka/registry-client.js';
import {AvroSerde} from '../../kafka/serde/avro-serde.js';
import {unframe} from '../../kafka/serde/confluent-wire.js';
import {paced} from '../pacer.js';
import {scenarioReport, type ScenarioReport} from '../report.js';
import {runHeaders} from '../run-log.js';
import {newRunId, type RunOptions} from '../run-options.js';
import {ensureScenarioTopics} from '../topics.js';
import type {EvolutionKindEvent} from './events.js';
import {EVOLUTION_INVARIANTS, type AttemptFacts, type EvolutionFacts, type TopicRecord} from './invariants.js';
import {tryRegister} from './registration.js';
import type {EvolutionScenario, EvolutionStep} from './schema.js';
import {VersionedConsumer} from './versioned-consumer.js';
import {fullOrder, stepShares, writtenValue, type FullOrder} from './workload.js';

const COUNTS_EVERY_MS = 250;

/** Each schema of the file as the registry gets it, checked by avsc first so a bad file fails before anything is registered. */
function schemaTexts(s: EvolutionScenario): Map<string, string> {
  const texts = new Map<string, string>();
  for (const [version, schema] of Object.entries(s.schemas)) {
    try {
      avro.Type.forSchema(schema as avro.Schema);
    } catch (error) {
      throw new ConfigError(`schemas.${version} of the ${s.name} scenario is not a valid Avro schema: ${(error as Error).message}`);
    }
    texts.set(version, JSON.stringify(schema));
  }
  return texts;
}

/**
 * The schema-evolution scenario: on a topic and subject of its own, each step
 * tries its schema version with the registry under the level it names (set
 * through the REST API, PUT /config/{subject}); a version the registry takes
 * gets its consumers (each reading the topic from its start with its own
 * reader schema) and its producers (writing their share of the orders in the
 * Confluent wire format). At the end the topic is read back and every record
 * is checked against every consumer version: read where it must be, with the
 * values Avro's resolution gives, unreadable where the file says it cannot be.
 */
export async function runEvolutionScenario(s: EvolutionScenario, opts: RunOptions<EvolutionKindEvent>): Promise<ScenarioReport> {
  if (opts.resume !== undefined) throw new ConfigError('the schema-evolution scenario has no --resume: run it again (each run has its own topic and subject)');
  if (!opts.registry) throw new OperationError('the schema-evolution scenario needs a schema registry — run `kpat up` or pass --registry');
  const texts = schemaTexts(s);
  const client = new RegistryClient(await opts.registry());
  const started = Date.now();
  const runId = newRunId();
  const topic = `${s.topic.prefix}.${runId}`;
  const subject = `${topic}-value`;
  const groupOf = (version: string) => `${s.groupPrefix}.${runId}.${version}`;
  const emit = (e: EvolutionKindEvent) => opts.events.emit(e);
  // A registry that does not answer stops the run before it creates anything.
  await client.subjects();
  await ensureScenarioTopics(opts, [{name: topic, partitions: s.topic.partitions}]);
  const consumerVersions = [...new Set(s.steps.flatMap((st) => st.consumers))];
  opts.events.emit({type: 'scenario-started', at: started, scenario: s.name, runId, resumed: false, expected: s.workload.count, topics: [topic], groups: consumerVersions.map(groupOf)});

  const limit = AbortSignal.any([AbortSignal.timeout(s.timeout), ...(opts.signal ? [opts.signal] : [])]);
  const ids = new Map<string, number>();
  const attempts: AttemptFacts[] = [];
  const produced = new Map<string, {writer: string; order: FullOrder}>();
  const written: Record<string, number> = {};
  const consumers = new Map<string, VersionedConsumer>();
  const unreadableSeen = new Set<string>();
  const versionOfId = (id: number | null) => [...ids].find(([, i]) => i === id)?.[0] ?? `id ${id}`;
  const counts = () =>
    emit({type: 'evolution-counts', at: Date.now(), producers: {...written}, consumers: Object.fromEntries([...consumers].map(([v, c]) => [v, {...c.counts}]))});
  const shares = stepShares(s, s.steps.filter((st) => st.producers.length > 0).length);
  let level: string | null = null;
  let timings: Record<string, number> = {};
  const publisher = await Publisher.connect(opts.conn, `scenario-${s.name}`);
  const ticker = setInterval(counts, COUNTS_EVERY_MS);
  try {
    let share = 0;
    for (const step of s.steps) {
      if (limit.aborted) break;
      const stepStart = Date.now();
      emit({type: 'evolution-step', at: stepStart, version: step.version, description: step.description});
      for (const attempt of step.attempts) {
        const wanted = attempt.compatibility ?? s.compatibility;
        if (wanted !== level) {
          await client.setCompatibility(subject, wanted);
          level = wanted;
          emit({type: 'evolution-compatibility', at: Date.now(), subject, level});
        }
        const result = await tryRegister(client, subject, texts.get(step.version)!);
        attempts.push({version: step.version, level, attempt, outcome: result.outcome, violations: result.violations});
        emit({
          type: 'evolution-registration',
          at: Date.now(),
          subject,
          version: step.version,
          level,
          outcome: result.outcome,
          expected: attempt.expect,
          violations: result.violations,
          ...(result.outcome === 'accepted' ? {id: result.id, registryVersion: result.registryVersion} : {}),
        });
        if (result.outcome === 'accepted') {
          ids.set(step.version, result.id);
          // Registering it again would only return its id: later attempts of this step have nothing left to show.
          break;
        }
      }
      const count = step.producers.length > 0 ? shares[share++]! : 0;
      if (!ids.has(step.version)) continue;
      for (const version of step.consumers) {
        const consumer = new VersionedConsumer(version, texts.get(version)!, {
          conn: opts.conn,
          groupId: groupOf(version),
          topic,
          writers: client,
          onUnreadable: (r, schemaId, reason) => {
            const writer = versionOfId(schemaId);
            if (unreadableSeen.size === unreadableSeen.add(`${version}<${writer}`).size) return;
            emit({type: 'evolution-unreadable', at: Date.now(), reader: version, writer, partition: r.partition, offset: r.offset, reason});
          },
        });
        consumers.set(version, consumer);
        await consumer.start();
      }
      await produceStep(step, count);
      await untilRead(consumers, produced.size, limit);
      if (!limit.aborted) timings = {...timings, [`step.${step.version}`]: Date.now() - stepStart};
    }
  } finally {
    clearInterval(ticker);
    await publisher.close();
    await Promise.all([...consumers.values()].map((c) => c.stop()));
    counts();
  }

  async function produceStep(step: EvolutionStep, count: number): Promise<void> {
    const writers = step.producers.filter((v) => ids.has(v)).map((v) => ({version: v, serde: new AvroSerde(client, {schemaId: ids.get(v)!, schema: texts.get(v)!})}));
    if (writers.length === 0 || count === 0) return;
    const first = produced.size;
    const headers = runHeaders(s.name, runId);
    await paced(
      count,
      s.workload.rate,
      (from, to) =>
        publisher.send(
          Array.from({length: to - from}, (_, k) => {
            const i = first + from + k;
            const w = writers[(from + k) % writers.length]!;
            const order = fullOrder(s, runId, i);
            const key = String(order.orderId);
            produced.set(key, {writer: w.version, order});
            written[w.version] = (written[w.version] ?? 0) + 1;
            return {topic, key, value: w.serde.serialize(writtenValue(order, s.schemas[w.version]!)), headers};
          }),
        ),
      limit,
      (sent) => opts.events.emit({type: 'workload-progress', at: Date.now(), produced: first + sent, total: s.workload.count}),
    );
  }

  const records = await readBack(opts, topic);
  const facts: EvolutionFacts = {attempts, ids, schemas: s.schemas, records, produced, readers: s.readers, reads: new Map([...consumers].map(([v, c]) => [v, c.results]))};
  const invariants = EVOLUTION_INVARIANTS.map((check) => check(facts));
  if (limit.aborted && !opts.signal?.aborted) {
    const steps = Object.keys(timings).length;
    invariants.unshift({
      name: 'finished-in-time',
      ok: false,
      detail: `not through within ${s.timeout} ms: ${steps} of ${s.steps.length} steps done, ${produced.size} of ${s.workload.count} orders written — give it a longer --timeout (or a higher --rate)`,
    });
  }
  const reportCounts: Record<string, number> = {
    orders: produced.size,
    records: records.length,
    registered: ids.size,
    refusals: attempts.filter((a) => a.outcome === 'refused').length,
  };
  for (const [version, n] of Object.entries(written)) reportCounts[`written.${version}`] = n;
  for (const [version, c] of consumers) Object.assign(reportCounts, {[`read.${version}`]: c.counts.read, [`unreadable.${version}`]: c.counts.unreadable, [`defaulted.${version}`]: c.counts.defaulted});
  for (const [version, id] of ids) reportCounts[`schemaId.${version}`] = id;
  const report = scenarioReport({scenario: s.name, runId, resumed: false, started, signal: opts.signal}, {counts: reportCounts, timings, invariants});
  opts.events.emit(report);
  return report;
}

/** Waits until every consumer has an answer for each record written so far (or time is up, or one crashed). */
async function untilRead(consumers: ReadonlyMap<string, VersionedConsumer>, records: number, signal: AbortSignal): Promise<void> {
  const all = [...consumers.values()];
  while (!all.every((c) => c.results.size >= records) && !all.some((c) => c.failed) && !signal.aborted) await sleep(20, signal).catch(() => {});
  const crashed = all.find((c) => c.failed);
  if (crashed) throw new OperationError(`the ${crashed.version} consumer stopped: ${crashed.failed!.message}`);
}

/** The run's topic as it holds it now: each record's place, key, and the schema id its bytes name. */
async function readBack(opts: RunOptions<EvolutionKindEvent>, topic: string): Promise<TopicRecord[]> {
  const out: TopicRecord[] = [];
  for await (const r of readPartitions(opts.conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true})) {
    let schemaId: number | null = null;
    try {
      schemaId = unframe(r.value ?? Buffer.alloc(0)).schemaId;
    } catch {
      // Not the wire format: the invariants name it by its missing id.
    }
    out.push({at: `${r.partition}@${r.offset}`, key: r.key?.toString() ?? '', schemaId});
  }
  return out;
}
