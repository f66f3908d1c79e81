import kafkajs, {type Admin, type Consumer, type Producer} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {TopicPoller, type GroupLagSnapshot} from '../../src/kafka/topic-poller.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';

const {Kafka, logLevel} = kafkajs;

/**
 * The poller against real commits: lag is Kafka's end − committed, and health follows
 * the scripted history of what the group commits while records arrive. The clock is
 * the test's, so each poll is "one second later" without waiting.
 */
const TOPIC = 'health.v1';
const GROUP = 'g-health';
const PARTITIONS = [0, 1, 2];

let tb: TestBroker;
let admin: Admin;
let producer: Producer;
let consumer: Consumer;
let clock = 1_000_000;
let poller: TopicPoller;

const produce = (perPartition: number) =>
  producer.send({topic: TOPIC, acks: -1, messages: PARTITIONS.flatMap((partition) => Array.from({length: perPartition}, (_, i) => ({partition, value: `v${i}`})))});
const commit = (offsets: Record<number, number>) =>
  consumer.commitOffsets(Object.entries(offsets).map(([partition, offset]) => ({topic: TOPIC, partition: Number(partition), offset: String(offset)})));

/** One second passes, then a poll; the group as the poller sees it. */
async function tick(): Promise<GroupLagSnapshot> {
  clock += 1000;
  const snapshot = await poller.poll();
  expect(snapshot.at).toBe(clock);
  return snapshot.groups.find((g) => g.groupId === GROUP)!;
}

const healthOf = (g: GroupLagSnapshot) => g.partitions.map((p) => p.health);

/** What Kafka says, straight from kafkajs admin. */
async function kafkaLag(): Promise<Array<{partition: number; committed: number; end: number}>> {
  const [committed] = await admin.fetchOffsets({groupId: GROUP, topics: [TOPIC]});
  const ends = await admin.fetchTopicOffsets(TOPIC);
  return ends
    .map((e) => ({
      partition: e.partition,
      committed: Number(committed!.partitions.find((p) => p.partition === e.partition)!.offset),
      end: Number(e.high),
    }))
    .sort((a, b) => a.partition - b.partition);
}

beforeAll(async () => {
  tb = await startTestBroker();
  const kafka = new Kafka({clientId: 'poller-test', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({topics: [{topic: TOPIC, numPartitions: PARTITIONS.length}], waitForLeaders: true});
  producer = kafka.producer();
  await producer.connect();
  // A real member of the group that reads nothing: the test decides what it commits.
  consumer = kafka.consumer({groupId: GROUP, heartbeatInterval: 300, maxWaitTimeInMs: 100});
  await consumer.connect();
  await consumer.subscribe({topic: TOPIC, fromBeginning: true});
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.run({autoCommit: false, eachMessage: async () => {}});
  await joined;
  consumer.pause([{topic: TOPIC}]);
  poller = new TopicPoller(tb.conn, {topic: TOPIC, now: () => clock, health: {windowMs: 10_000, stallMs: 4_000}, rateWindowMs: 3000});
});

afterAll(async () => {
  await poller?.stop();
  await consumer?.disconnect().catch(() => {});
  await producer?.disconnect().catch(() => {});
  await admin?.disconnect().catch(() => {});
  await tb?.stop();
});

describe('TopicPoller against real commits', () => {
  it('reports end − committed for every partition, found by itself as a group committed on the topic', async () => {
    await produce(10);
    await commit({0: 3, 1: 7, 2: 10});
    const g = await tick();
    expect(g.state).toBe('Stable');
    expect(g.members).toBe(1);
    const kafka = await kafkaLag();
    expect(g.partitions.map((p) => [p.partition, p.committed, p.end, p.lag])).toEqual(kafka.map((k) => [k.partition, k.committed, k.end, k.end - k.committed]));
    expect(g.partitions.map((p) => p.lag)).toEqual([7, 3, 0]);
    expect(g.totalLag).toBe(10);
    expect(g.partitions[0]!.owner?.clientId).toBe('poller-test');
    expect(healthOf(g)).toEqual(['OK', 'OK', 'OK']);
  });

  it('gives records/s per partition from end offsets over the rate window', async () => {
    await produce(5);
    await commit({0: 15, 1: 15, 2: 15});
    const g = await tick();
    const snapshot = poller.snapshots.current();
    expect(snapshot.partitions.map((p) => [p.partition, p.start, p.end, p.rate])).toEqual([
      [0, 0, 15, 5],
      [1, 0, 15, 5],
      [2, 0, 15, 5],
    ]);
    expect(snapshot.rate).toBe(15);
    expect(g.partitions.map((p) => p.lag)).toEqual([0, 0, 0]);
  });

  it('turns STALL, then STOP, when the group stops committing while records arrive; lag stays exact', async () => {
    const seen: string[][] = [];
    const lagsOf0: number[] = [0];
    for (let second = 1; second <= 13; second++) {
      await produce(2);
      const g = await tick();
      seen.push(healthOf(g).map(String));
      lagsOf0.push(g.partitions[0]!.lag);
      const kafka = await kafkaLag();
      expect(g.partitions.map((p) => p.lag)).toEqual(kafka.map((k) => k.end - k.committed));
    }
    expect(lagsOf0).toEqual(Array.from({length: 14}, (_, i) => 2 * i));
    // Stuck since the first poll with lag (second 1): STALL once that is 4 s ago, STOP once it is more than the 10 s window ago.
    expect(seen.slice(0, 4)).toEqual(Array(4).fill(['OK', 'OK', 'OK']));
    expect(seen.slice(4, 11)).toEqual(Array(7).fill(['STALL', 'STALL', 'STALL']));
    expect(seen.slice(11)).toEqual(Array(2).fill(['STOP', 'STOP', 'STOP']));
    const g = poller.snapshots.current().groups[0]!;
    expect(g.health).toBe('STOP');
    // The trend is the lag at each poll of the window (and the one poll before it).
    expect(g.partitions[0]!.trend).toEqual(lagsOf0.slice(-12));
  });

  it('shows REWIND when the group resets an offset backwards, and OK again once it catches up', async () => {
    await commit({0: 5, 1: 41, 2: 41});
    let g = await tick();
    expect(healthOf(g)).toEqual(['REWIND', 'OK', 'OK']);
    expect(g.partitions[0]!.lag).toBe(41 - 5);
    expect(g.health).toBe('REWIND');

    await commit({0: 41});
    for (let second = 0; second < 10; second++) g = await tick();
    expect(healthOf(g)).toEqual(['REWIND', 'OK', 'OK']);
    g = await tick();
    expect(healthOf(g)).toEqual(['OK', 'OK', 'OK']);
  });

  it('never joined or committed: the only group is the test\'s, with the test\'s commits', async () => {
    const {groups} = await admin.listGroups();
    expect(groups.map((x) => x.groupId)).toEqual([GROUP]);
    expect((await kafkaLag()).map((k) => k.committed)).toEqual([41, 41, 41]);
  });

  it('follows only the groups and partitions it is told to, with a row of "-" for a group that does not exist yet', async () => {
    const narrow = new TopicPoller(tb.conn, {topic: TOPIC, groups: ['not-yet', GROUP], partitions: [1], now: () => clock});
    try {
      const s = await narrow.poll();
      expect(s.partitions.map((p) => p.partition)).toEqual([1]);
      expect(s.groups.map((g) => [g.groupId, g.partitions.map((p) => [p.partition, p.committed, p.health])])).toEqual([
        ['not-yet', [[1, null, null]]],
        [GROUP, [[1, 41, 'OK']]],
      ]);
      expect(s.groups[0]!.state).toBe('Dead');
    } finally {
      await narrow.stop();
    }
  });

  it('names the fix for a missing topic or partition, and reports it as its connection status', async () => {
    const missing = new TopicPoller(tb.conn, {topic: 'no-such.v1'});
    await expect(missing.poll()).rejects.toThrow('topic no-such.v1 does not exist — `kpat topics` lists them');
    expect(missing.connection.current()).toMatchObject({state: 'retrying', error: 'topic no-such.v1 does not exist — `kpat topics` lists them'});
    await missing.stop();
    const missingWithGroup = new TopicPoller(tb.conn, {topic: 'no-such.v1', groups: [GROUP]});
    await expect(missingWithGroup.poll()).rejects.toThrow('topic no-such.v1 does not exist — `kpat topics` lists them');
    await missingWithGroup.stop();
    const badPartition = new TopicPoller(tb.conn, {topic: TOPIC, partitions: [7]});
    await expect(badPartition.poll()).rejects.toThrow(`topic ${TOPIC} has no partition 7 (it has 3: 0-2)`);
    await badPartition.stop();
  });
});
