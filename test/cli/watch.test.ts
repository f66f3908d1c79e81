import kafkajs, {type Admin, type Producer} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {jsonLines, runCli, startJsonCli, type JsonLine} from '../helpers/cli.js';

const {Kafka, logLevel} = kafkajs;

let tb: TestBroker;
let kafka: InstanceType<typeof Kafka>;
let admin: Admin;
let producer: Producer;
const home = tempDir('kpat-watch-cli-');
const env = {KPAT_HOME: home, KPAT_BROKERS: ''};

type Line = JsonLine;

/** `kpat watch` in its own process, as a script would run it, stoppable with a signal. */
function startWatch(args: string[]) {
  const watch = startJsonCli(['watch', ...args], {env, killAfterMs: 30_000});
  return {...watch, until: (what: string, ok: (lines: Line[]) => boolean, timeoutMs = 12_000) => watch.until(what, ok, timeoutMs)};
}

/** Offsets per partition must be increasing by exactly one: nothing skipped, nothing twice. */
function expectContiguous(records: Line[]): void {
  const byPartition = new Map<number, number[]>();
  for (const r of records) byPartition.set(r.partition as number, [...(byPartition.get(r.partition as number) ?? []), r.offset as number]);
  for (const offsets of byPartition.values()) expect(offsets).toEqual(offsets.map((_, i) => offsets[0]! + i));
}

beforeAll(async () => {
  tb = await startTestBroker();
  kafka = new Kafka({clientId: 'watch-cli-test', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({topics: [{topic: 't', numPartitions: 3}, {topic: 'lagged.v1', numPartitions: 2}], waitForLeaders: true});
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect().catch(() => {});
  await admin?.disconnect().catch(() => {});
  await tb?.stop();
});

describe('kpat watch without a terminal', () => {
  it('prints 100 parseable record lines in offset order per partition while a producer writes, then exits 0', async () => {
    const watch = runCli(['watch', 't', '--output', 'json', '--max', '100', '--brokers', tb.bootstrap], {env});
    let done = false;
    void watch.then(() => (done = true));
    let n = 0;
    while (!done) {
      await producer.send({topic: 't', messages: Array.from({length: 6}, () => ({key: `k-${n % 7}`, value: JSON.stringify({n: n++}), headers: {source: 'test'}}))});
      await new Promise((r) => setTimeout(r, 20));
    }
    const res = await watch;
    expect(res.stderr).toBe('100 records\n');
    expect(res.code).toBe(0);
    const lines = jsonLines(res.stdout);
    const records = lines.filter((l) => l.type === 'record');
    expect(records).toHaveLength(100);
    expect(lines.filter((l) => l.type !== 'record' && l.type !== 'group-lag')).toEqual([]);
    for (const r of records) {
      expect(Object.keys(r).sort()).toEqual(['headers', 'key', 'offset', 'partition', 'timestamp', 'topic', 'type', 'value']);
      expect(r).toMatchObject({topic: 't', headers: {source: 'test'}});
      expect(JSON.parse(r.value as string)).toEqual({n: expect.any(Number)});
    }
    expectContiguous(records);
    expect(new Set(records.map((r) => r.partition)).size).toBeGreaterThan(1);
  });

  it('prints each group\'s exact lag, reads from the beginning, and ends on SIGTERM with exit 0 having joined and committed nothing', async () => {
    await producer.send({topic: 'lagged.v1', acks: -1, messages: Array.from({length: 20}, (_, i) => ({partition: i % 2, key: `o-${i}`, value: `v${i}`}))});
    const member = kafka.consumer({groupId: 'payments', maxWaitTimeInMs: 100});
    await member.connect();
    await member.subscribe({topic: 'lagged.v1', fromBeginning: true});
    const joined = new Promise((resolve) => member.on(member.events.GROUP_JOIN, resolve));
    await member.run({autoCommit: false, eachMessage: async () => {}});
    await joined;
    member.pause([{topic: 'lagged.v1'}]);
    await member.commitOffsets([
      {topic: 'lagged.v1', partition: 0, offset: '4'},
      {topic: 'lagged.v1', partition: 1, offset: '10'},
    ]);
    const groupsBefore = (await admin.listGroups()).groups.map((g) => g.groupId).sort();

    const watch = startWatch(['lagged.v1', '--from-beginning', '--json', '--brokers', tb.bootstrap]);
    const lines = await watch.until('20 records and a lag line', (ls) => ls.filter((l) => l.type === 'record').length === 20 && ls.some((l) => l.type === 'group-lag'));
    expect(lines.find((l) => l.type === 'group-lag')).toEqual({
      type: 'group-lag',
      group: 'payments',
      topic: 'lagged.v1',
      state: 'Stable',
      members: 1,
      totalLag: 6 + 0,
      health: 'OK',
      partitions: [
        {partition: 0, committed: 4, end: 10, lag: 6, health: 'OK'},
        {partition: 1, committed: 10, end: 10, lag: 0, health: 'OK'},
      ],
    });
    const records = lines.filter((l) => l.type === 'record');
    expect(records.filter((r) => r.partition === 0).map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expectContiguous(records);

    watch.child.kill('SIGTERM');
    expect(await watch.exited).toBe(0);
    expect(watch.stderr()).toBe('20 records\n');
    expect((await admin.listGroups()).groups.map((g) => g.groupId).sort()).toEqual(groupsBefore);
    const [committed] = await admin.fetchOffsets({groupId: 'payments', topics: ['lagged.v1']});
    expect(committed!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
      [0, '4'],
      [1, '10'],
    ]);
    await member.disconnect();
    // The next test prints this group's line: let it settle into Empty first.
    for (let i = 0; i < 100 && (await admin.describeGroups(['payments'])).groups[0]!.state !== 'Empty'; i++) await new Promise((r) => setTimeout(r, 50));
  });

  it('prints readable plain lines honouring --filter and --partition, and counts them on stderr', async () => {
    await producer.send({
      topic: 'lagged.v1',
      acks: -1,
      messages: [
        {partition: 1, key: 'o-keep', value: '{\n "status": "placed"\n}', headers: {source: 'web', trace: 'x'}},
        {partition: 1, key: 'o-other', value: 'noise'},
        {partition: 0, key: 'o-keep', value: 'other partition'},
        {partition: 1, key: null, value: Buffer.from([0xde, 0xad, 0xbe, 0xef])},
        {partition: 1, key: 'o-keep-2', value: 'plain'},
      ],
    });
    const res = await runCli(['watch', 'lagged.v1', '--offset', '10', '--partition', '1', '--filter', 'KEEP', '--max', '2', '--brokers', tb.bootstrap], {env});
    expect(res.code).toBe(0);
    // The group's lag comes first (the member left in the test before: Empty), then the matching records of partition 1.
    expect(res.stdout.trim().split('\n')).toEqual([
      'lag payments on lagged.v1 (Empty, 0 members): 4 · p1 4 OK',
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} {2}1@10 {2}o-keep {2}source=web \+1 {2}\{"status":"placed"\}$/),
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} {2}1@13 {2}o-keep-2 {2}plain$/),
    ]);
    expect(res.stderr).toMatch(/^2 records\n$/);
  });

  it('names the fix for a missing topic, a missing partition and an unreachable broker, without a stack trace', async () => {
    const [missing, partition, noBroker, badUsage] = await Promise.all([
      runCli(['watch', 'nope.v1', '--brokers', tb.bootstrap], {env}),
      runCli(['watch', 't', '--partition', '9', '--brokers', tb.bootstrap], {env}),
      runCli(['watch', 't', '--brokers', '127.0.0.1:1'], {env}),
      runCli(['watch', 't', '--from-beginning', '--offset', '3', '--brokers', tb.bootstrap], {env}),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('kpat: topic nope.v1 does not exist — `kpat topics` lists them\n');
    expect(partition.code).toBe(1);
    expect(partition.stderr).toBe('kpat: topic t has no partition 9 (it has 3: 0-2)\n');
    expect(noBroker.code).toBe(1);
    expect(noBroker.stderr).toBe('kpat: no broker at 127.0.0.1:1 — run `kpat up` or pass --brokers\n');
    expect(badUsage.code).toBe(2);
    expect(badUsage.stderr).toMatch(/--offset=3 cannot also be provided when using --from-beginning/);
  });
});

describe('kpat watch when the broker restarts mid-watch', () => {
  it('says so, reconnects on its own, and continues with nothing skipped or repeated', async () => {
    const dataDir = tempDir('kpat-watch-restart-');
    let broker = await startTestBroker({dataDir});
    const port = Number(broker.bootstrap.split(':')[1]);
    const local = new Kafka({clientId: 'restart-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: {retries: 20, initialRetryTime: 100, maxRetryTime: 500}});
    const send = async (from: number, count: number) => {
      const p = local.producer();
      await p.connect();
      await p.send({topic: 'restart.v1', acks: -1, messages: Array.from({length: count}, (_, i) => ({partition: 0, value: `r${from + i}`}))});
      await p.disconnect();
    };
    await send(0, 5);
    const watch = startWatch(['restart.v1', '--from-beginning', '--json', '--brokers', broker.bootstrap]);
    try {
      await watch.until('the first five', (ls) => ls.filter((l) => l.type === 'record').length === 5);
      await broker.broker.close();
      await watch.until('the loss reported', (ls) => ls.some((l) => l.type === 'connection' && l.state === 'retrying'));
      broker = await startTestBroker({dataDir, port});
      await watch.until('the reconnection', (ls) => ls.some((l) => l.type === 'connection' && l.state === 'connected'));
      await send(5, 5);
      const lines = await watch.until('all ten', (ls) => ls.filter((l) => l.type === 'record').length >= 10);
      const records = lines.filter((l) => l.type === 'record');
      expect(records.map((r) => r.value)).toEqual(Array.from({length: 10}, (_, i) => `r${i}`));
      expectContiguous(records);
      expect(lines.find((l) => l.type === 'connection')).toEqual({
        type: 'connection',
        state: 'retrying',
        brokers: [`127.0.0.1:${port}`],
        error: `no broker at 127.0.0.1:${port} — run \`kpat up\` or pass --brokers`,
      });
      watch.child.kill('SIGINT');
      expect(await watch.exited).toBe(0);
      expect(watch.stderr()).toBe('10 records\n');
    } finally {
      watch.child.kill('SIGKILL');
      await broker.stop();
    }
  });

  it('teaches through --help', async () => {
    const res = await runCli(['watch', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Burrow/);
    expect(res.stdout).toMatch(/EXAMPLES/);
  });
});
