import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {parse as parseYaml} from 'yaml';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {EvolutionScenarioSchema} from '../../src/scenarios/schema-evolution/schema.js';
import {fullOrder, writtenValue} from '../../src/scenarios/schema-evolution/workload.js';
import type {HostedRegistry} from '../../src/stack/registry-host.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {pythonAvroDecode, pythonAvroResolve} from '../helpers/python-avro.js';
import {readTopic} from '../helpers/read-topic.js';
import {call, startTestRegistry} from '../helpers/registry.js';

// kpat scenario schema-evolution against a broker and the registry beside it: the report's
// invariants, the refusals as the NDJSON carries them, and the topic read back by Apache Avro
// (Python), with the schemas fetched by id from the registry.

let tb: TestBroker;
let registry: HostedRegistry;
beforeAll(async () => {
  tb = await startTestBroker();
  registry = await startTestRegistry(tb);
});
afterAll(async () => {
  await registry.close();
  await tb.stop();
});

type Line = {type: string; [k: string]: unknown};
type Report = {type: string; ok: boolean; runId: string; counts: Record<string, number>; invariants: Array<{name: string; ok: boolean; detail: string}>};
type Registration = Line & {version: string; level: string; outcome: string; expected: string; id?: number; registryVersion?: number; violations: Array<{kind: string; message: string}>};
const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const reportOf = (stdout: string) => lines(stdout).at(-1) as unknown as Report;
const home = tempDir('kpat-evolution-');
// Generous: on a busy machine the CLI alone can take many seconds to start.
const CLI_MS = 90_000;
const env = {KPAT_HOME: home, KPAT_BROKERS: '', KPAT_REGISTRY_URL: ''};
const scenario = (...args: string[]) => runCli(['scenario', 'schema-evolution', '--brokers', tb.bootstrap, '--registry', registry.url, '--count', '60', ...args], {env, timeoutMs: CLI_MS});

const spec = EvolutionScenarioSchema.parse(parseYaml(readFileSync(join(import.meta.dirname, '..', '..', 'scenarios', 'schema-evolution.yaml'), 'utf8')));
const schemaOf = (version: string) => JSON.stringify(spec.schemas[version]);
const INVARIANTS = ['registry-outcomes-as-expected', 'written-only-with-registered-versions', 'every-record-read-by-its-readers', 'decoded-values-match', 'unreadable-where-expected'];

describe('kpat scenario schema-evolution', () => {
  let out: Line[] = [];
  let report: Report;

  it('registers v1 and v2, refuses v3 and the transitive break, and every invariant holds', async () => {
    const res = await scenario('--output', 'json');
    expect(res.stderr).not.toMatch(/embedded/);
    expect(res.code).toBe(0);
    out = lines(res.stdout);
    report = reportOf(res.stdout);
    expect(report).toMatchObject({type: 'report', ok: true});
    expect(report.invariants.map((i) => [i.name, i.ok])).toEqual(INVARIANTS.map((n) => [n, true]));
    // 60 orders over the two producing steps after v1: 20 by v1, then 20 by v1 and v2, then 20 by v2 and v4.
    expect(report.counts).toMatchObject({orders: 60, records: 60, registered: 3, refusals: 2, 'written.v1': 30, 'written.v2': 20, 'written.v4': 10});
    expect(report.counts).toMatchObject({'read.v1': 60, 'read.v2': 60, 'defaulted.v2': 30, 'read.v4': 30, 'unreadable.v4': 30, 'unreadable.v1': 0, 'unreadable.v2': 0});

    const regs = out.filter((l): l is Registration => l.type === 'evolution-registration');
    expect(regs.map((r) => [r.version, r.level, r.outcome])).toEqual([
      ['v1', 'BACKWARD', 'accepted'],
      ['v2', 'BACKWARD', 'accepted'],
      ['v3', 'BACKWARD', 'refused'],
      ['v4', 'BACKWARD_TRANSITIVE', 'refused'],
      ['v4', 'BACKWARD', 'accepted'],
    ]);
    expect(regs.every((r) => r.outcome === r.expected)).toBe(true);
    // The refusals carry the compatibility checker's explanation: which field, against which version.
    const [v3, v4] = regs.filter((r) => r.outcome === 'refused');
    expect(v3!.violations).toHaveLength(1);
    expect(v3!.violations[0]).toMatchObject({kind: 'READER_FIELD_MISSING_DEFAULT_VALUE'});
    expect(v3!.violations[0]!.message).toMatch(/old schema \(version 2\) at field 'priority'.*no default/);
    expect(v4!.violations).toHaveLength(1);
    expect(v4!.violations[0]!.message).toMatch(/old schema \(version 1\) at field 'currency'/);
    expect(out.filter((l) => l.type === 'evolution-compatibility').map((l) => l.level)).toEqual(['BACKWARD', 'BACKWARD_TRANSITIVE', 'BACKWARD']);
    expect(out.filter((l) => l.type === 'evolution-unreadable').map((l) => [l.reader, l.writer])).toEqual([['v4', 'v1']]);
    const counts = out.filter((l) => l.type === 'evolution-counts').at(-1)!;
    expect(counts.producers).toEqual({v1: 30, v2: 20, v4: 10});

    // What the registry holds for the run's subject, over its REST API.
    const subject = `${spec.topic.prefix}.${report.runId}-value`;
    expect((await call(registry.url, 'GET', `/subjects/${subject}/versions`)).body).toEqual([1, 2, 3]);
    expect((await call(registry.url, 'GET', `/config/${subject}`)).body).toEqual({compatibilityLevel: 'BACKWARD'});
    const v3Check = await call(registry.url, 'POST', `/compatibility/subjects/${subject}/versions?verbose=true`, {schema: schemaOf('v3')});
    expect(v3Check.body).toMatchObject({is_compatible: false});
  }, CLI_MS);

  it('writes what an independent Avro decoder reads back, by the schema ids in the bytes, and resolves as Apache Avro does', async () => {
    expect(report?.ok).toBe(true);
    const topic = `${spec.topic.prefix}.${report.runId}`;
    const records = await readTopic(tb.conn, topic);
    expect(records).toHaveLength(60);
    const values = records.map((r) => r.value!);
    const decoded = (await pythonAvroDecode(registry.url, values)) as Array<Record<string, unknown>>;
    const byId = new Map<number, string>();
    for (const version of ['v1', 'v2', 'v4']) byId.set(report.counts[`schemaId.${version}`]!, version);
    records.forEach((r, k) => {
      const writer = byId.get(r.value!.readInt32BE(1))!;
      const i = Number(r.key!.toString().split('-').at(-1));
      // The bytes hold exactly the writer version's fields, with the values of order i of this run and seed.
      expect(decoded[k]).toEqual(writtenValue(fullOrder(spec, report.runId, i), spec.schemas[writer]!));
    });
    // Apache Avro's own resolution agrees with what the consumers read: v2 fills v1's missing currency, v4 cannot read v1.
    const asV2 = (await pythonAvroResolve(registry.url, schemaOf('v2'), values)) as Array<Record<string, unknown>>;
    const asV4 = (await pythonAvroResolve(registry.url, schemaOf('v4'), values)) as Array<Record<string, unknown>>;
    records.forEach((r, k) => {
      const writer = byId.get(r.value!.readInt32BE(1))!;
      if (writer === 'v1') {
        expect(asV2[k]).toEqual({...decoded[k], currency: 'EUR'});
        expect(asV4[k]).toHaveProperty('error');
      } else {
        expect(asV2[k]).toEqual({...decoded[k]});
        expect(asV4[k]).toEqual(writer === 'v4' ? decoded[k] : {...decoded[k]});
      }
    });
    expect(asV4.filter((v) => 'error' in v)).toHaveLength(report.counts['unreadable.v4']!);
  });

  it('exits 3 when the subject runs under NONE: v3 gets in where a refusal was expected', async () => {
    const res = await scenario('--compatibility', 'NONE', '--output', 'json');
    expect(res.code).toBe(3);
    const r = reportOf(res.stdout);
    expect(r.ok).toBe(false);
    expect(r.invariants.filter((i) => !i.ok).map((i) => i.name)).toEqual(['registry-outcomes-as-expected']);
    expect(r.invariants[0]!.detail).toMatch(/v3 under NONE: accepted, expected refused/);
    expect(res.stderr).toMatch(/registry-outcomes-as-expected failed/);
  }, CLI_MS);

  it('refuses a bad level and flags of other scenarios, naming the fix', async () => {
    const bad = await runCli(['scenario', 'schema-evolution', '--brokers', tb.bootstrap, '--compatibility', 'SIDEWAYS'], {env, timeoutMs: CLI_MS});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Expected --compatibility=SIDEWAYS to be one of: NONE, BACKWARD,/);
    const other = await runCli(['scenario', 'schema-evolution', '--brokers', tb.bootstrap, '--fail-rate', '0.1'], {env, timeoutMs: CLI_MS});
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--fail-rate does not apply to schema-evolution scenarios/);
  }, 2 * CLI_MS);

  it('needs a registry when it is given a broker: exit 1, naming both fixes', async () => {
    const res = await runCli(['scenario', 'schema-evolution', '--brokers', tb.bootstrap, '--count', '10'], {env, timeoutMs: CLI_MS});
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/no schema registry configured and no local stack running — run `kpat up` or pass --registry/);
    const topics = async () => lines((await runCli(['topics', '--brokers', tb.bootstrap, '--json'], {env, timeoutMs: CLI_MS})).stdout).filter((t) => String(t.name).startsWith(spec.topic.prefix)).length;
    const before = await topics();
    const down = await runCli(['scenario', 'schema-evolution', '--brokers', tb.bootstrap, '--registry', 'http://127.0.0.1:1', '--count', '10'], {env, timeoutMs: CLI_MS});
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/no schema registry at http:\/\/127\.0\.0\.1:1 .* — run `kpat up` or pass --registry/);
    // Nothing was set up for a run that could not start.
    expect(await topics()).toBe(before);
  }, 4 * CLI_MS);
});

describe('kpat scenario schema-evolution finds its broker and registry', () => {
  it('starts an embedded broker and a registry beside it when there is none, and says so', async () => {
    const res = await runCli(['scenario', 'schema-evolution', '--count', '30', '--output', 'json'], {env: {...env, KPAT_HOME: tempDir('kpat-evolution-none-')}, timeoutMs: CLI_MS});
    expect(res.code).toBe(0);
    expect(reportOf(res.stdout).ok).toBe(true);
    expect(res.stderr).toMatch(/started an embedded broker/);
    const note = lines(res.stdout).find((l) => l.type === 'scenario-note');
    expect(note?.text).toMatch(/started one beside the embedded broker at http:\/\/127\.0\.0\.1:\d+/);
  }, CLI_MS);

  it("uses a running `kpat up` stack and its registry", async () => {
    const upEnv = {...env, KPAT_HOME: tempDir('kpat-evolution-up-')};
    const up = await runCli(['up', '--port', '0', '--registry-port', '0', '--output', 'json'], {env: upEnv, timeoutMs: CLI_MS});
    expect(up.code).toBe(0);
    const stackRegistry = lines(up.stdout).at(-1)!.registry as string;
    try {
      const res = await runCli(['scenario', 'schema-evolution', '--count', '30', '--output', 'json'], {env: upEnv, timeoutMs: CLI_MS});
      expect(res.code).toBe(0);
      expect(res.stderr).not.toMatch(/embedded/);
      const r = reportOf(res.stdout);
      expect(r.ok).toBe(true);
      expect((await call(stackRegistry, 'GET', '/subjects')).body).toContain(`${spec.topic.prefix}.${r.runId}-value`);
    } finally {
      await runCli(['down', '--purge'], {env: upEnv, timeoutMs: CLI_MS});
    }
  }, 3 * CLI_MS);
});
