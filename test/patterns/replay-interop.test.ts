import kafkajs from 'kafkajs';
import {afterAll, describe, expect, it} from 'vitest';
import {spawnBrokerProcess, type BrokerProcess} from '../helpers/broker-process.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {commitAsConsumer, committedByPartition} from '../helpers/groups.js';
import {kcat} from '../helpers/kcat.js';

const {Kafka, logLevel} = kafkajs;

type Line = {type: string; [k: string]: unknown};
const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const home = tempDir('kpat-replay-interop-');
const cli = (bootstrap: string, ...args: string[]) => runCli([...args, '--brokers', bootstrap], {env: {KPAT_HOME: home, KPAT_BROKERS: ''}});

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
});

async function adminOf(bootstrap: string): Promise<kafkajs.Admin> {
  const admin = new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING}).admin();
  await admin.connect();
  cleanup.push(() => admin.disconnect());
  return admin;
}

describe('kpat replay with offsets committed by librdkafka (kcat)', () => {
  it('moves a kcat group back, and kcat then reads the records again', async () => {
    const tb: TestBroker = await startTestBroker();
    cleanup.push(() => tb.stop());
    const admin = await adminOf(tb.bootstrap);
    const topic = 'replay.kcat';
    await admin.createTopics({topics: [{topic, numPartitions: 2}], waitForLeaders: true});
    await kcat(['-b', tb.bootstrap, '-t', topic, '-P', '-K:'], Array.from({length: 20}, (_, i) => `k${i}:v${i}`).join('\n') + '\n');
    const consumeAll = () => kcat(['-b', tb.bootstrap, '-G', 'kcat-readers', '-X', 'auto.offset.reset=earliest', '-c', '20', '-f', '%s\\n', topic]);

    expect((await consumeAll()).trim().split('\n')).toHaveLength(20);
    const ends = (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
    expect(await committedByPartition(admin, 'kcat-readers', topic)).toEqual(ends);

    const res = await cli(tb.bootstrap, 'replay', '--group', 'kcat-readers', '--to', 'earliest', '--execute', '--json');
    expect(res.code).toBe(0);
    expect(lines(res.stdout).find((l) => l.type === 'replay-summary')).toMatchObject({records: 20, moving: 2});
    expect(await committedByPartition(admin, 'kcat-readers', topic)).toEqual([0, 0]);

    const again = (await consumeAll()).trim().split('\n');
    expect(new Set(again)).toEqual(new Set(Array.from({length: 20}, (_, i) => `v${i}`)));
  });
});

describe('kpat replay across a broker restart', () => {
  it('the executed replay and its undo survive the restart: undo on the restarted broker restores the offsets', async () => {
    const dir = tempDir('kpat-replay-restart-');
    let broker: BrokerProcess = await spawnBrokerProcess(dir);
    cleanup.push(() => broker.stop());
    const kafka = new Kafka({brokers: [broker.bootstrap], logLevel: logLevel.NOTHING});
    const admin = kafka.admin();
    await admin.connect();
    const topic = 'replay.restart';
    await admin.createTopics({topics: [{topic, numPartitions: 2}], waitForLeaders: true});
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({topic, acks: -1, messages: Array.from({length: 20}, (_, i) => ({partition: i % 2, value: `v${i}`}))});
    await producer.disconnect();
    await commitAsConsumer(kafka, 'restarted', topic, {0: 5, 1: 7});
    await admin.disconnect();

    expect((await cli(broker.bootstrap, 'replay', '--group', 'restarted', '--to', 'earliest', '--execute')).code).toBe(0);
    await broker.stop();
    broker = await spawnBrokerProcess(dir);

    const after = await adminOf(broker.bootstrap);
    expect(await committedByPartition(after, 'restarted', topic)).toEqual([0, 0]);
    const undo = await cli(broker.bootstrap, 'replay', '--group', 'restarted', '--undo', '--execute', '--json');
    expect(undo.code).toBe(0);
    const rows = lines(undo.stdout).filter((l) => l.type === 'replay-plan');
    expect(rows.map((r) => [r.current, r.target, r.records])).toEqual([
      [0, 5, -5],
      [0, 7, -7],
    ]);
    expect(rows.every((r) => typeof r.fromTime === 'string' && typeof r.toTime === 'string')).toBe(true);
    expect(await committedByPartition(after, 'restarted', topic)).toEqual([5, 7]);
  });
});
