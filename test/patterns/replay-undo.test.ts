import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import kafkajs from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {commitAsConsumer, committedByPartition} from '../helpers/groups.js';

const {Kafka, logLevel} = kafkajs;

/** 10 records in each of 3 partitions; the group `ledger` has committed 8, 6 and 5. */
const TOPIC = 'replay.undo';
const GROUP = 'ledger';
const COMMITTED = [8, 6, 5];

let tb: TestBroker;
let kafka: kafkajs.Kafka;
let admin: kafkajs.Admin;
const home = tempDir('kpat-replay-undo-');

type Line = {type: string; [k: string]: unknown};
const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const cli = (...args: string[]) => runCli([...args, '--brokers', tb.bootstrap], {env: {KPAT_HOME: home, KPAT_BROKERS: ''}});
const committed = (group = GROUP) => committedByPartition(admin, group, TOPIC);

beforeAll(async () => {
  tb = await startTestBroker();
  kafka = new Kafka({clientId: 'replay-undo-test', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({topics: [{topic: TOPIC, numPartitions: 3}], waitForLeaders: true});
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({topic: TOPIC, acks: -1, messages: Array.from({length: 30}, (_, i) => ({partition: i % 3, value: `v${i}`}))});
  await producer.disconnect();
  await commitAsConsumer(kafka, GROUP, TOPIC, {0: COMMITTED[0]!, 1: COMMITTED[1]!, 2: COMMITTED[2]!});
});

afterAll(async () => {
  await admin?.disconnect().catch(() => {});
  await tb?.stop();
});

describe('kpat replay --execute and --undo', () => {
  it('executes, saves the previous offsets, and --undo restores them exactly, one replay at a time', async () => {
    const first = await cli('replay', '--group', GROUP, '--to', 'earliest', '--execute', '--json');
    expect(first.code).toBe(0);
    expect(lines(first.stdout).at(-1)).toMatchObject({type: 'replay-executed', group: GROUP, moved: 3, records: 19, skipped: 0, undo: false, undoFile: join(home, 'replay', `${GROUP}.json`)});
    expect(await committed()).toEqual([0, 0, 0]);

    const second = await cli('replay', '--group', GROUP, '--topic', `${TOPIC}:1`, '--to', '4', '--execute');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^executed: group ledger moved on 1 partition; its consumers skip 4 records when they start — the previous offsets are saved in /m);
    expect(await committed()).toEqual([0, 4, 0]);

    // The undo is a plan like any other until --execute.
    const preview = lines((await cli('replay', '--group', GROUP, '--undo', '--json')).stdout);
    expect(preview.filter((l) => l.type === 'replay-plan').map((r) => [r.partition, r.current, r.target])).toEqual([[1, 4, 0]]);
    expect(await committed()).toEqual([0, 4, 0]);

    const undone = await cli('replay', '--group', GROUP, '--undo', '--execute');
    expect(undone.code).toBe(0);
    expect(undone.stdout).toMatch(/^undone: group ledger is back where it was \(1 partition restored\)$/m);
    expect(await committed()).toEqual([0, 0, 0]);
    expect((await cli('replay', '--group', GROUP, '--undo', '--execute')).code).toBe(0);
    expect(await committed()).toEqual(COMMITTED);

    const nothing = await cli('replay', '--group', GROUP, '--undo', '--execute');
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to undo for group ledger on this cluster/);
  });

  it('--export writes the plan without applying it; --from-file applies exactly those offsets', async () => {
    const file = join(home, 'plan.csv');
    const exported = await cli('replay', '--group', GROUP, '--shift', '-2', '--export', file);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/plan written to .*plan\.csv — apply it later with --from-file/);
    expect(readFileSync(file, 'utf8')).toBe(`topic,partition,target\n${TOPIC},0,6\n${TOPIC},1,4\n${TOPIC},2,3\n`);
    expect(await committed()).toEqual(COMMITTED);

    expect((await cli('replay', '--group', GROUP, '--from-file', file, '--execute')).code).toBe(0);
    expect(await committed()).toEqual([6, 4, 3]);
    expect((await cli('replay', '--group', GROUP, '--undo', '--execute')).code).toBe(0);
    expect(await committed()).toEqual(COMMITTED);

    // kafka-consumer-groups --reset-offsets --export writes topic,partition,offset without a header.
    writeFileSync(file, `${TOPIC},2,1\n`);
    const foreign = lines((await cli('replay', '--group', GROUP, '--from-file', file, '--json')).stdout);
    expect(foreign.filter((l) => l.type === 'replay-plan').map((r) => [r.partition, r.target, r.records])).toEqual([[2, 1, 4]]);
  });

  it('a group that did not exist before: undo deletes it again', async () => {
    expect((await cli('replay', '--group', 'brand-new', '--topic', TOPIC, '--to', 'earliest', '--execute')).code).toBe(0);
    expect(await committed('brand-new')).toEqual([0, 0, 0]);
    const undone = await cli('replay', '--group', 'brand-new', '--undo', '--execute', '--json');
    expect(undone.code).toBe(0);
    expect(lines(undone.stdout).find((l) => l.type === 'replay-summary')!.undo).toMatchObject({deletesGroup: true});
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('brand-new');
    expect(await committed('brand-new')).toEqual([null, null, null]);
  });
});
