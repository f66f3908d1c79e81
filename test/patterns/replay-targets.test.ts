import kafkajs from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {commitAsConsumer, committedByPartition} from '../helpers/groups.js';

const {Kafka, logLevel} = kafkajs;

/**
 * A scripted topic with known timestamps, relative to when the test starts:
 *   partition 0: 10 records, one a minute, the last one now
 *   partition 1: 10 records, one every two minutes, the last one now
 *   partition 2: 5 records an hour ago — nothing after any recent time
 * The group `readers` has committed 8, 6 and 5 (the end of partition 2).
 */
const TOPIC = 'replay.targets';
const GROUP = 'readers';
const MIN = 60_000;
const BASE = Math.floor(Date.now() / 1000) * 1000;
const TIMES: number[][] = [
  Array.from({length: 10}, (_, i) => BASE - (9 - i) * MIN),
  Array.from({length: 10}, (_, i) => BASE - (9 - i) * 2 * MIN),
  Array.from({length: 5}, (_, i) => BASE - 60 * MIN + i * MIN),
];
const COMMITTED = [8, 6, 5];
const iso = (t: number) => new Date(t).toISOString();

let tb: TestBroker;
let kafka: kafkajs.Kafka;
let admin: kafkajs.Admin;
const home = tempDir('kpat-replay-targets-');

type Line = {type: string; [k: string]: unknown};
const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const cli = (...args: string[]) => runCli([...args, '--brokers', tb.bootstrap], {env: {KPAT_HOME: home, KPAT_BROKERS: ''}});

/** The plan's target per partition (null: left as it is) and its notes, from `--output json`. */
async function plan(...args: string[]) {
  const res = await cli('replay', '--group', GROUP, ...args, '--output', 'json');
  expect(res.stderr).not.toMatch(/kpat:/);
  expect(res.code).toBe(0);
  const rows = lines(res.stdout).filter((l) => l.type === 'replay-plan');
  return {
    targets: rows.map((r) => r.target as number | null),
    records: rows.map((r) => r.records as number | null),
    notes: rows.map((r) => r.note as string | null),
    rows,
    summary: lines(res.stdout).find((l) => l.type === 'replay-summary')!,
  };
}

beforeAll(async () => {
  tb = await startTestBroker();
  kafka = new Kafka({clientId: 'replay-test', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({topics: [{topic: TOPIC, numPartitions: 3}], waitForLeaders: true});
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: TOPIC,
    acks: -1,
    messages: TIMES.flatMap((times, partition) => times.map((t, i) => ({partition, key: `k${i}`, value: `p${partition}-${i}`, timestamp: String(t)}))),
  });
  await producer.disconnect();
  await commitAsConsumer(kafka, GROUP, TOPIC, {0: COMMITTED[0]!, 1: COMMITTED[1]!, 2: COMMITTED[2]!});
  await commitAsConsumer(kafka, 'other', TOPIC, {0: 2});
});

afterAll(async () => {
  await admin?.disconnect().catch(() => {});
  await tb?.stop();
});

describe('kpat replay: the plan for each kind of target', () => {
  it('earliest and latest, with records counted and the time span they cover', async () => {
    const earliest = await plan('--to', 'earliest');
    expect(earliest.targets).toEqual([0, 0, 0]);
    expect(earliest.records).toEqual([8, 6, 5]);
    expect(earliest.rows[0]).toMatchObject({group: GROUP, topic: TOPIC, partition: 0, current: 8, fromTime: iso(TIMES[0]![0]!), toTime: iso(TIMES[0]![7]!), note: null});
    expect(earliest.summary).toMatchObject({type: 'replay-summary', group: GROUP, target: 'earliest', state: 'Empty', members: [], partitions: 3, moving: 3, records: 19, skipped: 0, execute: false});
    expect(earliest.summary.fromTime).toBe(iso(TIMES[2]![0]!));

    const latest = await plan('--to', 'latest');
    expect(latest.targets).toEqual([10, 10, 5]);
    expect(latest.records).toEqual([-2, -4, 0]);
    expect(latest.rows[1]).toMatchObject({fromTime: iso(TIMES[1]![6]!), toTime: iso(TIMES[1]![9]!)});
    expect(latest.summary).toMatchObject({moving: 2, records: 0, skipped: 6});
  });

  it('an offset, clamped to each log with a note', async () => {
    const p = await plan('--to', '7');
    expect(p.targets).toEqual([7, 7, 5]);
    expect(p.notes).toEqual([null, null, 'offset 7 is past the end 5: clamped to 5']);
  });

  it('a datetime and a duration: the first record at or after the time; a partition with none goes to its end', async () => {
    // 4m30s ago: both partition 0 and 1 from their record of 4 minutes ago (offsets 5 and 7); partition 2 has nothing that recent.
    const at = BASE - 4.5 * MIN;
    const byTime = await plan('--to', iso(at));
    expect(byTime.targets).toEqual([5, 7, 5]);
    expect(byTime.records).toEqual([3, -1, 0]);
    expect(byTime.notes).toEqual([null, null, `no record at or after ${iso(at)}: moves to the end`]);
    expect(byTime.summary.target).toBe(iso(at));

    const byDuration = await plan('--by-duration', '4m30s');
    expect(byDuration.targets).toEqual([5, 7, 5]);
    expect(byDuration.notes[2]).toMatch(/^no record at or after .*: moves to the end$/);
  });

  it('a shift from the committed offsets, clamped at the ends', async () => {
    expect((await plan('--shift', '-3')).targets).toEqual([5, 3, 2]);
    const ahead = await plan('--shift', '5');
    expect(ahead.targets).toEqual([10, 10, 5]);
    expect(ahead.notes).toEqual(['offset 13 is past the end 10: clamped to 10', 'offset 11 is past the end 10: clamped to 10', 'offset 10 is past the end 5: clamped to 5']);
  });

  it('another group\'s offsets, leaving partitions where it has none', async () => {
    const p = await plan('--to-group', 'other');
    expect(p.targets).toEqual([2, null, null]);
    expect(p.notes[1]).toBe('group other has nothing committed here: left as it is');
  });

  it('some partitions only, with --topic T:P,P', async () => {
    const p = await plan('--topic', `${TOPIC}:0,2`, '--to', 'earliest');
    expect(p.rows.map((r) => r.partition)).toEqual([0, 2]);
    const missing = await cli('replay', '--group', GROUP, '--topic', `${TOPIC}:7`, '--to', 'earliest');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/topic replay\.targets has no partition 7 \(it has 3: 0-2\)/);
  });

  it('plain output: a table, the totals, the notes, and a hint to add --execute', async () => {
    const res = await cli('replay', '--group', GROUP, '--to', '7');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^group readers · Empty · 0 members$/m);
    expect(res.stdout).toMatch(/TOPIC\s+PARTITION\s+CURRENT\s+TARGET\s+RECORDS\s+FROM\s+TO/);
    expect(res.stdout).toMatch(/^replay\.targets\s+0\s+8\s+7\s+replay 1\s+\S+Z\s+\S+Z$/m);
    expect(res.stdout).toMatch(/^replay\.targets\s+1\s+6\s+7\s+skip 1\s/m);
    expect(res.stdout).toMatch(/1 record replayed · 1 record skipped .* 2 of 3 partitions move/);
    expect(res.stdout).toMatch(/replay\.targets\[2\]: offset 7 is past the end 5: clamped to 5/);
    expect(res.stderr).toMatch(/plan only, nothing changed — add --execute to apply it/);
    expect(await committedByPartition(admin, GROUP, TOPIC)).toEqual(COMMITTED);
  });
});

describe('kpat replay: usage errors name the fix', () => {
  it('exits 2 without a target, with two, or with one it cannot read', async () => {
    const none = await cli('replay', '--group', GROUP);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/say where to move group readers: --to earliest\|latest\|OFFSET\|DATETIME, --by-duration 15m, --shift -N/);
    const two = await cli('replay', '--group', GROUP, '--to', 'earliest', '--shift', '-1');
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/pick one target, not --to and --shift/);
    const bad = await cli('replay', '--group', GROUP, '--to', 'yesterday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--to "yesterday" is not a target/);
    expect(bad.stderr).not.toMatch(/\s+at /);
    const noTopic = await cli('replay', '--group', 'nobody', '--to', 'earliest');
    expect(noTopic.code).toBe(2);
    expect(noTopic.stderr).toMatch(/group nobody has committed no offsets — name the topic it should read with --topic/);
  });

  it('teaches through --help', async () => {
    const res = await runCli(['replay', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/EXAMPLES/);
    expect(res.stdout).toMatch(/--undo/);
    expect(res.stdout).toMatch(/the group must be empty/);
  });
});
