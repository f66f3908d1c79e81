import {AssignerProtocol, Kafka, logLevel, type Admin, type Consumer} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';

const TOPIC = 'lag.v1';
const GROUP = 'lag-group';
const PARTITIONS = 4;
const PER_PARTITION = 10;
/** Offsets the group commits per partition; partition 2 commits nothing. */
const TARGET: Record<number, number | null> = {0: 3, 1: 7, 2: null, 3: 10};

let tb: TestBroker;
let kafka: Kafka;
let admin: Admin;
const consumers: Consumer[] = [];
const home = tempDir('kpat-groups-cli-');

const json = (s: string) => s.trim().split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);
const cli = (...args: string[]) => runCli([...args, '--brokers', tb.bootstrap], {env: {KPAT_HOME: home, KPAT_BROKERS: ''}});

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
}

/** partition → memberId, from the group's own assignment as the coordinator reports it. */
async function assignmentOf(groupId: string): Promise<{state: string; owners: Map<number, string>; members: number}> {
  const [g] = (await admin.describeGroups([groupId])).groups;
  const owners = new Map<number, string>();
  for (const m of g!.members) {
    const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
    for (const p of decoded?.assignment[TOPIC] ?? []) owners.set(p, m.memberId);
  }
  return {state: g!.state, owners, members: g!.members.length};
}

/** What the group committed and where each partition ends, straight from kafkajs admin. */
async function offsetsFromAdmin(): Promise<Map<number, {committed: number | null; low: number; high: number}>> {
  const [committed] = await admin.fetchOffsets({groupId: GROUP, topics: [TOPIC]});
  const ends = await admin.fetchTopicOffsets(TOPIC);
  return new Map(
    ends.map((e) => {
      const c = Number(committed!.partitions.find((p) => p.partition === e.partition)!.offset);
      return [e.partition, {committed: c >= 0 ? c : null, low: Number(e.low), high: Number(e.high)}];
    }),
  );
}

async function startConsumer(): Promise<Consumer> {
  const consumer = kafka.consumer({groupId: GROUP, sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 100, rebalanceTimeout: 10_000});
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({topic: TOPIC, fromBeginning: true});
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({topic, partition, message}) => {
      const next = Number(message.offset) + 1;
      const target = TARGET[partition];
      if (target !== null && target !== undefined && next <= target) await consumer.commitOffsets([{topic, partition, offset: String(next)}]);
    },
  });
  return consumer;
}

beforeAll(async () => {
  tb = await startTestBroker();
  kafka = new Kafka({clientId: 'groups-test', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  for (const c of consumers) await c.disconnect().catch(() => {});
  await admin?.disconnect().catch(() => {});
  await tb?.stop();
});

describe('kpat lag and kpat groups against the embedded broker', () => {
  it('says there are no groups yet, and exits 0', async () => {
    for (const cmd of [['lag'], ['groups']]) {
      const res = await cli(...cmd);
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/no consumer groups yet — start one with `kpat consume TOPIC --group NAME`/);
    }
    const asJson = await cli('lag', '--output', 'json');
    expect(asJson.code).toBe(0);
    expect(asJson.stdout).toBe('');
  });

  it('reports lag = end − committed per partition with the owners of the current assignment', async () => {
    await admin.createTopics({topics: [{topic: TOPIC, numPartitions: PARTITIONS}], waitForLeaders: true});
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPIC,
      acks: -1,
      messages: Array.from({length: PARTITIONS * PER_PARTITION}, (_, i) => ({partition: i % PARTITIONS, value: `v${i}`})),
    });
    await producer.disconnect();

    await startConsumer();
    await startConsumer();
    await until(
      'two members sharing every partition, and the commits',
      async () => ({group: await assignmentOf(GROUP), offsets: await offsetsFromAdmin()}),
      ({group, offsets}) =>
        group.state === 'Stable' &&
        group.members === 2 &&
        new Set(group.owners.values()).size === 2 &&
        group.owners.size === PARTITIONS &&
        [...offsets].every(([p, o]) => o.committed === TARGET[p]),
    );
    const expected = await offsetsFromAdmin();
    const {owners} = await assignmentOf(GROUP);

    const res = await cli('lag', '--group', GROUP, '--output', 'json');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const lines = json(res.stdout);
    const lagLines = lines.filter((l) => l.type === 'lag');
    expect(lagLines.map((l) => l.partition)).toEqual([0, 1, 2, 3]);
    let total = 0;
    for (const l of lagLines) {
      const e = expected.get(l.partition as number)!;
      expect(l).toMatchObject({group: GROUP, topic: TOPIC, committed: e.committed, end: e.high, start: e.low, uncommitted: e.committed === null});
      expect(l.end).toBe(PER_PARTITION);
      expect(l.lag).toBe(e.committed === null ? e.high - e.low : e.high - e.committed);
      expect((l.owner as {memberId: string}).memberId).toBe(owners.get(l.partition as number));
      expect(l.owner).toMatchObject({clientId: 'groups-test', clientHost: expect.stringMatching(/127\.0\.0\.1/)});
      total += l.lag as number;
    }
    expect(lagLines.map((l) => l.lag)).toEqual([7, 3, 10, 0]);
    expect(lines.at(-1)).toEqual({type: 'group-lag', group: GROUP, state: 'Stable', members: 2, totalLag: total});

    const plain = await cli('lag');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^group lag-group · Stable · 2 members · consumer\/RoundRobinAssigner$/m);
    expect(plain.stdout).toMatch(/TOPIC\s+PARTITION\s+COMMITTED\s+END\s+LAG\s+OWNER/);
    expect(plain.stdout).toMatch(/^lag\.v1\s+2\s+-\s+10\s+10\s+groups-test-\S+ \(127\.0\.0\.1\)$/m);
    expect(plain.stdout).toMatch(/COMMITTED "-": nothing committed there yet, so LAG counts every retained record/);
    expect(plain.stdout).toMatch(/^total lag 20$/m);
  });

  it('lists and describes the group with its state, members and assignments', async () => {
    const listed = await cli('groups', '--json');
    expect(listed.code).toBe(0);
    expect(json(listed.stdout)).toEqual([
      {type: 'group', group: GROUP, state: 'Stable', members: 2, protocolType: 'consumer', protocol: 'RoundRobinAssigner'},
    ]);
    const plainList = await cli('groups');
    expect(plainList.stdout).toMatch(/GROUP\s+STATE\s+MEMBERS\s+PROTOCOL/);
    expect(plainList.stdout).toMatch(/lag-group\s+Stable\s+2\s+RoundRobinAssigner/);

    const {owners} = await assignmentOf(GROUP);
    const described = json((await cli('groups', 'describe', GROUP, '--json')).stdout);
    expect(described[0]).toEqual({type: 'group', group: GROUP, state: 'Stable', members: 2, protocolType: 'consumer', protocol: 'RoundRobinAssigner'});
    const members = described.filter((l) => l.type === 'member') as Array<{memberId: string; clientId: string; assignment: Array<{topic: string; partitions: number[]}>}>;
    expect(members).toHaveLength(2);
    for (const m of members) {
      expect(m.clientId).toBe('groups-test');
      const mine = [...owners].filter(([, id]) => id === m.memberId).map(([p]) => p).sort();
      expect(m.assignment).toEqual([{topic: TOPIC, partitions: mine}]);
    }
    expect(described.filter((l) => l.type === 'lag').map((l) => [l.partition, l.committed, l.lag])).toEqual([
      [0, 3, 7],
      [1, 7, 3],
      [2, null, 10],
      [3, 10, 0],
    ]);
    expect(described.at(-1)).toMatchObject({type: 'group-lag', totalLag: 20});

    const plain = await cli('groups', 'describe', GROUP);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/MEMBER\s+CLIENT\s+HOST\s+ASSIGNMENT/);
    expect(plain.stdout).toMatch(/groups-test\s+127\.0\.0\.1\s+lag\.v1\[\d(,\d)*\]/);
    expect(plain.stdout).toMatch(/^total lag 20$/m);
  });

  it('shows the group Empty with no owners once its consumers leave, keeping the commits', async () => {
    for (const c of consumers.splice(0)) await c.disconnect();
    await until('the group to be empty', () => assignmentOf(GROUP), (g) => g.state === 'Empty' && g.members === 0);

    const lines = json((await cli('lag', '--group', GROUP, '--json')).stdout);
    expect(lines.filter((l) => l.type === 'lag').map((l) => [l.partition, l.committed, l.lag, l.owner])).toEqual([
      [0, 3, 7, null],
      [1, 7, 3, null],
      [2, null, 10, null],
      [3, 10, 0, null],
    ]);
    expect(lines.at(-1)).toEqual({type: 'group-lag', group: GROUP, state: 'Empty', members: 0, totalLag: 20});
    expect((await cli('groups')).stdout).toMatch(/lag-group\s+Empty\s+0\s+-/);
  });

  it('exits 1 for a group that does not exist, naming `kpat groups`', async () => {
    for (const cmd of [
      ['groups', 'describe', 'no-such-group'],
      ['lag', '--group', 'no-such-group'],
    ]) {
      const res = await cli(...cmd);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/consumer group no-such-group does not exist — `kpat groups` lists them/);
      expect(res.stdout).toBe('');
    }
  });

  it('teaches through --help', async () => {
    for (const cmd of ['lag', 'groups', 'groups describe']) {
      const res = await runCli([...cmd.split(' '), '--help']);
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/EXAMPLES/);
      expect(res.stdout).toMatch(/DESCRIPTION/);
    }
  });
});
