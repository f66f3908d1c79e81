/**
 * The schema-evolution scenario's figures: the whole scenario (registrations,
 * refusals, three consumer versions each decoding every record with its own
 * reader schema) as records decoded per second, and beside it what schema
 * resolution costs a consumer: decoding v1 records with the v2 reader schema
 * (avsc's resolver filling in the default) against decoding them with their own
 * writer schema, in memory.
 *
 * From run.ts: the `evolution` section. Alone: `npm run build && node dist/bench/schema-evolution.js`.
 */
import {pathToFileURL} from 'node:url';
import avro from 'avsc';
import {EventStream} from '../src/core/event-stream.js';
import type {Connection} from '../src/kafka/connection.js';
import {readPartitions} from '../src/kafka/partition-reader.js';
import type {ScenarioEvent} from '../src/scenarios/events.js';
import type {ScenarioKind} from '../src/scenarios/kinds.js';
import {loadScenario} from '../src/scenarios/scenario-file.js';
import type {EvolutionKindEvent} from '../src/scenarios/schema-evolution/events.js';
import {evolutionKind} from '../src/scenarios/schema-evolution/kind.js';
import {runEvolutionScenario} from '../src/scenarios/schema-evolution/run.js';
import type {EvolutionScenario} from '../src/scenarios/schema-evolution/schema.js';
import {fullOrder, writtenValue} from '../src/scenarios/schema-evolution/workload.js';
import {startRegistryBeside} from '../src/stack/registry-host.js';
import {printFigures, repeated, spawnBroker, timed, type Figure} from './harness.js';

const ORDERS = 3000;
const DECODES = 100_000;

function scenario(): EvolutionScenario {
  const {spec} = loadScenario('schema-evolution', [evolutionKind as unknown as ScenarioKind]);
  return evolutionKind.applyFlags(spec as EvolutionScenario, {count: ORDERS, rate: 0});
}

/** One run of the scenario; records = every decode attempt of the three consumer versions. */
async function scenarioOnce(conn: Connection, registryUrl: string, s: EvolutionScenario): Promise<Figure> {
  const events = new EventStream<ScenarioEvent<EvolutionKindEvent>>();
  const {seconds, value: report} = await timed(() => runEvolutionScenario(s, {conn, events, registry: async () => ({url: registryUrl, source: 'flag'})}));
  if (!report.ok) throw new Error(`the scenario failed: ${report.invariants.filter((i) => !i.ok).map((i) => `${i.name}: ${i.detail}`).join('; ')}`);
  let bytes = 0;
  for await (const r of readPartitions(conn, {topic: `${s.topic.prefix}.${report.runId}`, start: {kind: 'earliest'}, stopAtEnd: true})) bytes += r.value?.length ?? 0;
  const decodes = ['v1', 'v2', 'v4'].reduce((n, v) => n + (report.counts[`read.${v}`] ?? 0) + (report.counts[`unreadable.${v}`] ?? 0), 0);
  return {name: `scenario, ${ORDERS.toLocaleString('en-US')} orders: decodes by 3 consumer versions`, records: decodes, bytes: (bytes * decodes) / report.counts.records!, seconds};
}

/** v1 records decoded with their own schema, then with the v2 reader schema through avsc's resolver. */
async function resolutionFigures(s: EvolutionScenario): Promise<Figure[]> {
  const v1 = avro.Type.forSchema(s.schemas.v1 as avro.Schema);
  const v2 = avro.Type.forSchema(s.schemas.v2 as avro.Schema);
  const resolver = v2.createResolver(v1);
  const payloads = Array.from({length: DECODES}, (_, i) => v1.toBuffer(writtenValue(fullOrder(s, 'bench', i), s.schemas.v1!)));
  const bytes = payloads.reduce((n, b) => n + b.length, 0);
  const decode = (name: string, fn: (b: Buffer) => unknown) =>
    repeated(async () => {
      const {seconds} = await timed(async () => {
        for (const b of payloads) fn(b);
      });
      return {name, records: DECODES, bytes, seconds};
    });
  return [await decode('v1 records, v1 reader (no resolution)', (b) => v1.fromBuffer(b)), await decode('v1 records, v2 reader (resolver, default filled)', (b) => v2.fromBuffer(b, resolver))];
}

export async function evolutionSection(): Promise<void> {
  const s = scenario();
  const broker = await spawnBroker({fsync: 'always'});
  const [host, port] = broker.bootstrap.split(':');
  const registry = await startRegistryBeside({host: host!, port: Number(port)}, {host: '127.0.0.1', port: 0});
  const conn: Connection = {brokers: [broker.bootstrap], source: 'flag', clientId: 'bench'};
  try {
    const figures = [await repeated(() => scenarioOnce(conn, registry.url, s), 2, 3), ...(await resolutionFigures(s))];
    printFigures('schema evolution: the scenario end to end (fsync=always, registry beside the broker), and Avro resolution in memory', figures);
  } finally {
    await registry.close();
    await broker.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await evolutionSection();
