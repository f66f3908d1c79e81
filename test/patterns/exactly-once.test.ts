import kafkajs from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {EventStream} from '../../src/core/event-stream.js';
import {auditOutputs, type AuditReport} from '../../src/patterns/exactly-once/audit.js';
import type {ProcessingMode, ProcessorEvent} from '../../src/patterns/exactly-once/events.js';
import type {FaultPlan} from '../../src/patterns/exactly-once/faults.js';
import {createProcessor} from '../../src/patterns/exactly-once/processor.js';
import type {RecordFilter} from '../../src/patterns/record-filter.js';
import {ConfigError} from '../../src/core/errors.js';
import {prng} from '../../src/core/random.js';
import {sleep} from '../../src/core/sleep.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {committedByPartition, until} from '../helpers/groups.js';
import {kcat} from '../helpers/kcat.js';

const {Kafka, logLevel} = kafkajs;

let tb: TestBroker;
let admin: kafkajs.Admin;
beforeAll(async () => {
  tb = await startTestBroker();
  admin = new Kafka({brokers: [tb.bootstrap], clientId: 'eos-test', logLevel: logLevel.NOTHING}).admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
  await tb.stop();
});

const PARTITIONS = 2;
const PER_PARTITION = 15;

/** An input topic with PER_PARTITION records on each partition (values in-<partition>-<i>) and an empty output topic. */
async function topics(name: string): Promise<{input: string; output: string}> {
  const input = `${name}.in`;
  const output = `${name}.out`;
  await admin.createTopics({topics: [{topic: input, numPartitions: PARTITIONS}, {topic: output, numPartitions: PARTITIONS}]});
  const producer = new Kafka({brokers: [tb.bootstrap], clientId: 'eos-input', logLevel: logLevel.NOTHING}).producer();
  await producer.connect();
  for (let p = 0; p < PARTITIONS; p++) {
    await producer.send({topic: input, messages: Array.from({length: PER_PARTITION}, (_, i) => ({partition: p, key: `k${i}`, value: `in-${p}-${i}`}))});
  }
  await producer.disconnect();
  return {input, output};
}

interface Run {
  events: ProcessorEvent[];
  audit: AuditReport;
  committed: Array<number | null>;
}

/** Runs the processor until the group has committed the end of the input, then audits the output. */
async function run(
  name: string,
  mode: ProcessingMode,
  faults: FaultPlan,
  extra: {instances?: number; waitFor?: ProcessorEvent['type'][]; maxRecordsPerTransaction?: number; maxTransactionMs?: number; transformDelayMs?: number; filter?: RecordFilter} = {},
): Promise<Run & {input: string; output: string}> {
  const {input, output} = await topics(name);
  const group = `${name}-group`;
  const stream = new EventStream<ProcessorEvent>();
  const events: ProcessorEvent[] = [];
  stream.subscribe((e) => events.push(e));
  const processor = createProcessor({
    conn: tb.conn,
    mode,
    inputTopic: input,
    group,
    transactionalIdPrefix: name,
    maxRecordsPerTransaction: extra.maxRecordsPerTransaction ?? 4,
    maxTransactionMs: extra.maxTransactionMs,
    instances: extra.instances ?? 1,
    events: stream,
    faults,
    filter: extra.filter,
    transform: async (r) => {
      if (extra.transformDelayMs) await sleep(extra.transformDelayMs);
      return [{topic: output, partition: r.partition, key: r.key, value: `out-${r.value!.toString()}`}];
    },
  });
  try {
    await processor.start();
    const end = Array.from({length: PARTITIONS}, () => PER_PARTITION);
    const committed = await until('the group committed the end of the input', () => committedByPartition(admin, group, input), (c) => JSON.stringify(c) === JSON.stringify(end), 60_000);
    for (const type of extra.waitFor ?? []) await until(`a ${type} event`, async () => events.some((e) => e.type === type), Boolean, 30_000);
    await processor.stop();
    return {events, committed, input, output, audit: await auditOutputs({conn: tb.conn, inputTopic: input, outputTopic: output, filter: extra.filter})};
  } finally {
    await processor.stop();
  }
}

const lines = (out: string) => out.split('\n').filter((l) => l !== '');
const kcatValues = (topic: string, isolation: 'read_committed' | 'read_uncommitted') =>
  kcat(['-b', tb.bootstrap, '-t', topic, '-C', '-e', '-q', '-X', `isolation.level=${isolation}`, '-f', '%s\\n']).then(lines);
const allOutputs = () => Array.from({length: PARTITIONS * PER_PARTITION}, (_, k) => `out-in-${Math.floor(k / PER_PARTITION)}-${k % PER_PARTITION}`).sort();

/** Every input exactly once for read_committed readers (kcat and the auditor), and the group at the end of the input. */
async function expectExactlyOnce(r: Run & {output: string}): Promise<void> {
  expect(r.committed).toEqual([PER_PARTITION, PER_PARTITION]);
  expect(r.audit).toMatchObject({inputs: PARTITIONS * PER_PARTITION, exact: PARTITIONS * PER_PARTITION, duplicates: 0, missing: 0, strays: 0});
  expect((await kcatValues(r.output, 'read_committed')).sort()).toEqual(allOutputs());
}

describe('transactional consume-transform-produce', () => {
  it('a crash between produce and commit: the replacement aborts the open transaction and each input is written once', async () => {
    const r = await run('eos.crash', 'transactional', {crash: [{partition: 0, offset: 6}]});
    expect(r.events.filter((e) => e.type === 'crashed')).toHaveLength(1);
    await expectExactlyOnce(r);
    // The crashed instance's outputs are in the log, in the transaction its replacement aborted: only read_uncommitted readers see them.
    expect((await kcatValues(r.output, 'read_uncommitted')).filter((v) => v === 'out-in-0-6')).toHaveLength(2);
    expect((await kcatValues(r.output, 'read_committed')).filter((v) => v === 'out-in-0-6')).toHaveLength(1);
    expect(r.audit.uncommittedOnly).toBeGreaterThan(0);
    expect(r.audit.abortedTransactions).toBe(1);
  });

  it('an injected processing failure aborts the transaction and processing resumes from the committed offset', async () => {
    const r = await run('eos.fail', 'transactional', {fail: [{partition: 1, offset: 6}]});
    const aborted = r.events.filter((e) => e.type === 'transaction-aborted');
    expect(aborted).toEqual([expect.objectContaining({partition: 1, cause: 'injected'})]);
    const resumed = r.events.filter((e) => e.type === 'resumed-from' && e.at >= aborted[0]!.at);
    expect(resumed[0]).toMatchObject({offsets: [{partition: 1, offset: 4}]});
    await expectExactlyOnce(r);
    // A unit's outputs are sent when it closes: the failure came first, so the aborted transaction left nothing in the log.
    expect(r.audit.uncommittedOnly).toBe(0);
  });

  it('a zombie that wakes after its partition was taken over is fenced, and its outputs stay invisible', async () => {
    const r = await run('eos.zombie', 'transactional', {zombie: [{partition: 0, offset: 9}]}, {waitFor: ['fenced']});
    const fenced = r.events.filter((e) => e.type === 'fenced');
    expect(fenced).toEqual([expect.objectContaining({partition: 0, transactionalId: 'eos.zombie-eos.zombie.in-0'})]);
    const stalled = r.events.find((e) => e.type === 'stalled')!;

    expect(fenced[0]!.instance).toBe(stalled.instance);
    expect(r.events.some((e) => e.type === 'transaction-committed' && e.instance === stalled.instance && e.at > stalled.at)).toBe(false);
    await expectExactlyOnce(r);
    // The zombie's outputs were sent before it stalled: in the log, aborted, read_uncommitted only.
    const uncommitted = await kcatValues(r.output, 'read_uncommitted');
    expect(uncommitted.filter((v) => v === 'out-in-0-9')).toHaveLength(2);
    expect(uncommitted.length - PARTITIONS * PER_PARTITION).toBe(r.audit.uncommittedOnly);
    expect(r.audit.abortedTransactions).toBe(1);
  });

  it('crash, processing failure and zombie in one run with two instances: each input once, for kcat and a kafkajs read_committed consumer', async () => {
    const r = await run('eos.all', 'transactional', {crash: [{partition: 1, offset: 2}], fail: [{partition: 0, offset: 5}], zombie: [{partition: 1, offset: 10}]}, {instances: 2, waitFor: ['fenced']});
    for (const type of ['crashed', 'fenced', 'transaction-aborted'] as const) expect(r.events.some((e) => e.type === type)).toBe(true);
    await expectExactlyOnce(r);
    expect(await readCommittedWithKafkajs(r.output, PARTITIONS * PER_PARTITION)).toEqual(allOutputs());
  });
});

describe('transaction bounds', () => {
  it('a transaction closes at its time bound even below its record bound', async () => {
    // Each transform takes longer than the bound, so every transaction holds one record.
    const r = await run('eos.timed', 'transactional', {}, {maxRecordsPerTransaction: 1000, maxTransactionMs: 1, transformDelayMs: 3});
    const committed = r.events.filter((e) => e.type === 'transaction-committed');
    expect(committed).toHaveLength(PARTITIONS * PER_PARTITION);
    expect(committed.every((e) => e.records === 1)).toBe(true);
    await expectExactlyOnce(r);
  });

  it('a transaction holds at most its record bound', async () => {
    const r = await run('eos.sized', 'transactional', {}, {maxRecordsPerTransaction: 4});
    const sizes = r.events.flatMap((e) => (e.type === 'transaction-committed' ? [e.records] : []));
    expect(Math.max(...sizes)).toBe(4);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(PARTITIONS * PER_PARTITION);
  });
});

describe('the weaker pipelines under the same crash', () => {
  it('at-least-once: the crashed unit is produced again (duplicates), nothing is missing', async () => {
    // The crash position as a scenario picks it: from its seed.
    const random = prng(7);
    const crashAt = {partition: Math.floor(random() * PARTITIONS), offset: Math.floor(random() * PER_PARTITION)};
    const r = await run('alo.crash', 'at-least-once', {crash: [crashAt]});
    expect(r.committed).toEqual([PER_PARTITION, PER_PARTITION]);
    expect(r.audit.missing).toBe(0);
    expect(r.audit.duplicates).toBeGreaterThan(0);
    expect(r.audit.duplicatedIds).toContain(`${r.input}/${crashAt.partition}/${crashAt.offset}`);
    expect(r.audit.uncommittedOnly).toBe(0);
  });

  it('idempotent producer: a new producer after the crash cannot know the old one wrote, so duplicates remain', async () => {
    const r = await run('idem.crash', 'idempotent', {crash: [{partition: 0, offset: 6}]});
    expect(r.audit.missing).toBe(0);
    expect(r.audit.duplicatedIds).toContain(`${r.input}/0/6`);
  });
});

describe('options', () => {
  it('a bad option is a ConfigError (exit 2) naming the option', () => {
    const make = () =>
      createProcessor({conn: tb.conn, mode: 'transactional', inputTopic: 'in', group: 'g', maxRecordsPerTransaction: 0, events: new EventStream<ProcessorEvent>(), transform: () => []});
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(/maxRecordsPerTransaction/);
  });
});

/** An independent reader: a kafkajs read_committed group consumer, until it has `count` values. */
async function readCommittedWithKafkajs(topic: string, count: number): Promise<string[]> {
  const consumer = new Kafka({brokers: [tb.bootstrap], clientId: 'eos-reader', logLevel: logLevel.NOTHING}).consumer({groupId: `${topic}-reader`, readUncommitted: false, maxWaitTimeInMs: 100});
  const seen: string[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({topic, fromBeginning: true});
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({message}) => {
          seen.push(message.value!.toString());
          if (seen.length === count) resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen.sort();
}

describe('exactly-once processor: a run among others, and zombies that were replaced', () => {
  it('a record filter: refused records get no output and a skipped event, and are committed past with their unit', async () => {
    const even: RecordFilter = {accepts: (r) => Number(r.value!.toString().split('-').at(-1)) % 2 === 0, reason: 'odd'};
    const r = await run('eos.filter', 'transactional', {}, {filter: even});
    expect(r.committed).toEqual([PER_PARTITION, PER_PARTITION]);
    const accepted = PARTITIONS * Math.ceil(PER_PARTITION / 2);
    expect(r.audit).toMatchObject({inputs: accepted, outputs: accepted, exact: accepted, duplicates: 0, missing: 0});
    expect(r.events.filter((e) => e.type === 'skipped')).toHaveLength(PARTITIONS * PER_PARTITION - accepted);
    expect(r.events.find((e) => e.type === 'skipped')).toMatchObject({reason: 'odd'});
  });

  it('at-least-once: a woken zombie makes its one late commit and leaves, so what it re-does is its own unit only', async () => {
    const r = await run('eos.alo-zombie', 'at-least-once', {zombie: [{partition: 0, offset: 5}]}, {waitFor: ['woke']});
    const woke = r.events.findIndex((e) => e.type === 'woke');
    const zombie = (r.events[woke] as Extract<ProcessorEvent, {type: 'woke'}>).instance;
    const after = r.events.slice(woke + 1).filter((e) => 'instance' in e && e.instance === zombie);
    expect(after.filter((e) => e.type === 'record-processed' || e.type === 'transaction-begun')).toEqual([]);
    expect(after.at(-1)).toMatchObject({type: 'instance-stopped', reason: 'stopped'});
    // Its unit (4 records) was produced before it stalled and again by its replacement.
    expect(r.audit).toMatchObject({missing: 0, duplicates: 4});
  });
});
