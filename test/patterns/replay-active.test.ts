import kafkajs from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {committedByPartition, until} from '../helpers/groups.js';

const {Kafka, logLevel} = kafkajs;

const TOPIC = 'replay.active';
const GROUP = 'active';
const RECORDS = 40;

let tb: TestBroker;
let kafka: kafkajs.Kafka;
let admin: kafkajs.Admin;
const home = tempDir('kpat-replay-active-');

type Line = {type: string; [k: string]: unknown};
const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const cli = (...args: string[]) => runCliWatching(args);
const runCliWatching = (args: string[], onOutput?: (stdout: string, stderr: string) => void) =>
  runCli([...args, '--brokers', tb.bootstrap], {env: {KPAT_HOME: home, KPAT_BROKERS: ''}, timeoutMs: 45_000, onOutput});
const committed = () => committedByPartition(admin, GROUP, TOPIC);
const running: kafkajs.Consumer[] = [];

/** A running member of the group that commits what it reads (kafkajs autoCommit) and counts it. */
async function member(clientId: string): Promise<{consumer: kafkajs.Consumer; seen: () => number}> {
  let seen = 0;
  const consumer = new Kafka({clientId, brokers: [tb.bootstrap], logLevel: logLevel.NOTHING}).consumer({groupId: GROUP, maxWaitTimeInMs: 100, sessionTimeout: 6000, heartbeatInterval: 500});
  await consumer.connect();
  await consumer.subscribe({topic: TOPIC, fromBeginning: true});
  running.push(consumer);
  await consumer.run({autoCommit: true, eachMessage: async () => void seen++});
  return {consumer, seen: () => seen};
}

beforeAll(async () => {
  tb = await startTestBroker();
  kafka = new Kafka({clientId: 'replay-active-test', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({topics: [{topic: TOPIC, numPartitions: 2}], waitForLeaders: true});
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({topic: TOPIC, acks: -1, messages: Array.from({length: RECORDS}, (_, i) => ({partition: i % 2, value: `v${i}`}))});
  await producer.disconnect();
});

afterAll(async () => {
  for (const c of running) await c.disconnect().catch(() => {});
  await admin?.disconnect().catch(() => {});
  await tb?.stop();
});

describe('kpat replay against a group with active members', () => {
  it('refuses with exit 1 naming the members; with --wait it executes once they leave, and --follow shows the group reading the records again', async () => {
    const first = await member('payments-app');
    await until('the member to read and commit everything', committed, (c) => c[0] === RECORDS / 2 && c[1] === RECORDS / 2);

    const refused = await cli('replay', '--group', GROUP, '--to', 'earliest', '--execute');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/consumer group active has 1 active member: payments-app at 127\.0\.0\.1 \(payments-app-[\w-]+\)/);
    expect(refused.stderr).toMatch(/a running consumer keeps its position in memory and commits it over the new offsets/);
    expect(refused.stderr).toMatch(/Stop its consumers, or pass --wait/);
    expect(refused.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(refused.stdout).toMatch(/^group active · Stable · 1 member$/m); // the plan it would have applied
    expect(await committed()).toEqual([RECORDS / 2, RECORDS / 2]);

    // --wait: executes only once the member has left; --follow: then reports the group reading the records again.
    let reportedWaiting = false;
    const waiting = runCliWatching(['replay', '--group', GROUP, '--to', 'earliest', '--execute', '--wait', '--follow', '--json'], (out) => {
      reportedWaiting ||= out.includes('"replay-waiting"');
    });
    await until('the replay to say it waits', async () => reportedWaiting, (w) => w);
    expect(await committed()).toEqual([RECORDS / 2, RECORDS / 2]);
    await first.consumer.disconnect();
    await until('the replay to be executed', committed, (c) => c[0] === 0 && c[1] === 0);
    const second = await member('payments-app-fixed');
    const res = await waiting;
    await second.consumer.disconnect();

    expect(res.code).toBe(0);
    const out = lines(res.stdout);
    expect(out[0]).toMatchObject({type: 'replay-waiting', group: GROUP, state: 'Stable', members: [expect.objectContaining({clientId: 'payments-app', clientHost: '127.0.0.1'})]});
    expect(out.filter((l) => l.type === 'replay-plan').map((l) => [l.current, l.target, l.records])).toEqual([
      [20, 0, 20],
      [20, 0, 20],
    ]);
    expect(out.find((l) => l.type === 'replay-summary')).toMatchObject({state: 'Empty', members: [], records: RECORDS, execute: true});
    expect(out.find((l) => l.type === 'replay-executed')).toMatchObject({moved: 2, records: RECORDS});
    const progress = out.filter((l) => l.type === 'replay-progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({group: GROUP, replayed: RECORDS, total: RECORDS, lag: 0, done: true});
    expect(second.seen()).toBe(RECORDS);
  });

  it('plain --wait says whom it waits for, on stderr', async () => {
    const m = await member('slow-app');
    let saidWaiting = false;
    const waiting = runCliWatching(['replay', '--group', GROUP, '--to', 'earliest', '--execute', '--wait'], (_out, err) => {
      saidWaiting ||= err.includes('waiting for group');
    });
    await until('the replay to say it waits', async () => saidWaiting, (w) => w);
    await m.consumer.disconnect();
    const res = await waiting;
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/waiting for group active to empty \(Stable\): 1 member left — slow-app at 127\.0\.0\.1/);
    expect(res.stdout).toMatch(/^executed: group active/m);
  });
});
