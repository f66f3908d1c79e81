import kafkajs from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';

const {Kafka, logLevel} = kafkajs;

let tb: TestBroker;
let kafka: kafkajs.Kafka;

beforeAll(async () => {
  tb = await startTestBroker();
  kafka = new Kafka({brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
});
afterAll(async () => tb.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('consumer groups with kafkajs', () => {
  it('splits 6 partitions over 3 consumers, rebalances when one leaves, loses nothing and commits to the end', async () => {
    const topic = 'groups.rebalance';
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({topics: [{topic, numPartitions: 6}]});

    const assigned = new Map<string, number[]>();
    const seen = new Set<string>();
    const consumers = ['c1', 'c2', 'c3'].map((name) => {
      const consumer = kafka.consumer({groupId: 'g-rebalance', sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 200});
      consumer.on(consumer.events.GROUP_JOIN, (e) => assigned.set(name, e.payload.memberAssignment[topic] ?? []));
      return {name, consumer};
    });
    for (const {consumer} of consumers) {
      await consumer.connect();
      await consumer.subscribe({topic, fromBeginning: true});
      await consumer.run({
        eachMessage: async ({message}) => {
          seen.add(message.value!.toString());
        },
      });
    }
    await waitFor(() => [...assigned.values()].reduce((n, ps) => n + ps.length, 0) === 6 && assigned.size === 3 && [...assigned.values()].every((ps) => ps.length === 2), 20_000, 'two partitions each');

    const producer = kafka.producer();
    await producer.connect();
    const total = 20_000;
    const sendRange = async (from: number, to: number) => {
      for (let i = from; i < to; i += 500) {
        await producer.send({topic, messages: Array.from({length: Math.min(500, to - i)}, (_, j) => ({key: `k${(i + j) % 97}`, value: String(i + j)}))});
      }
    };
    await sendRange(0, 8000);
    // c3 leaves mid-stream: its partitions move to the other two.
    await consumers[2]!.consumer.disconnect();
    await sendRange(8000, total);
    await waitFor(() => {
      const ps = [...(assigned.get('c1') ?? []), ...(assigned.get('c2') ?? [])];
      return ps.length === 6 && new Set(ps).size === 6;
    }, 20_000, 'c1 and c2 to own all six partitions');
    await waitFor(() => seen.size === total, 30_000, `all ${total} records (seen ${seen.size})`);

    // Final committed offsets equal the end offsets.
    await waitFor(async () => {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({groupId: 'g-rebalance', topics: [topic]});
      return ends.every((e) => committed!.partitions.find((p) => p.partition === e.partition)?.offset === e.high);
    }, 20_000, 'committed offsets to reach the end offsets');

    const described = await admin.describeGroups(['g-rebalance']);
    expect(described.groups[0]).toMatchObject({state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner'});
    expect(described.groups[0]!.members).toHaveLength(2);
    await producer.disconnect();
    await consumers[0]!.consumer.disconnect();
    await consumers[1]!.consumer.disconnect();
    expect((await admin.describeGroups(['g-rebalance'])).groups[0]!.state).toBe('Empty');
    await admin.disconnect();
  });
});

describe('a member that dies silently', () => {
  it('is evicted when its session times out; its partitions move and the group is Stable again', async () => {
    const {spawn} = await import('node:child_process');
    const {fileURLToPath} = await import('node:url');
    const topic = 'groups.kill';
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({topics: [{topic, numPartitions: 4}]});

    const fixture = fileURLToPath(new URL('../fixtures/group-consumer.mjs', import.meta.url));
    const child = spawn(process.execPath, [fixture, tb.bootstrap, 'g-kill', topic], {stdio: ['ignore', 'pipe', 'inherit']});
    let childOut = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (childOut += d));
    try {
      await waitFor(() => /assigned 0,1,2,3/.test(childOut), 20_000, 'the child to own everything');

      let mine: number[] = [];
      const consumer = kafka.consumer({groupId: 'g-kill', sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 200});
      consumer.on(consumer.events.GROUP_JOIN, (e) => (mine = e.payload.memberAssignment[topic] ?? []));
      await consumer.connect();
      await consumer.subscribe({topic, fromBeginning: true});
      await consumer.run({eachMessage: async () => {}});
      await waitFor(() => mine.length === 2, 20_000, 'a two-way split');

      child.kill('SIGKILL');
      const killedAt = Date.now();
      await waitFor(() => mine.length === 4, 20_000, 'the survivor to own all four partitions');
      const evictedAfter = Date.now() - killedAt;
      // Not before the session timeout (6 s), and not long after it.
      expect(evictedAfter).toBeGreaterThanOrEqual(5500);
      expect(evictedAfter).toBeLessThan(12_000);
      await waitFor(async () => (await admin.describeGroups(['g-kill'])).groups[0]!.state === 'Stable', 10_000, 'Stable');
      expect((await admin.describeGroups(['g-kill'])).groups[0]!.members).toHaveLength(1);
      await consumer.disconnect();
    } finally {
      child.kill('SIGKILL');
      await admin.disconnect();
    }
  });
});

describe('kafkajs admin on consumer groups', () => {
  it('sets, resets, fetches and deletes group offsets', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({topics: [{topic: 'groups.admin', numPartitions: 2}]});
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({topic: 'groups.admin', messages: Array.from({length: 10}, (_, i) => ({value: `v${i}`, partition: i % 2}))});
    await producer.disconnect();

    await admin.setOffsets({groupId: 'g-admin', topic: 'groups.admin', partitions: [{partition: 0, offset: '2'}, {partition: 1, offset: '4'}]});
    const fetched = (await admin.fetchOffsets({groupId: 'g-admin', topics: ['groups.admin']}))[0]!.partitions.sort((x, y) => x.partition - y.partition);
    expect(fetched.map((p) => p.offset)).toEqual(['2', '4']);
    // kafkajs resets by committing its "latest" sentinel (-1), which its consumers resolve when they start.
    await admin.resetOffsets({groupId: 'g-admin', topic: 'groups.admin', earliest: false});
    const reset = (await admin.fetchOffsets({groupId: 'g-admin', topics: ['groups.admin']}))[0]!.partitions.sort((x, y) => x.partition - y.partition);
    expect(reset.map((p) => p.offset)).toEqual(['-1', '-1']);
    let seen = 0;
    const latecomer = kafka.consumer({groupId: 'g-admin', maxWaitTimeInMs: 100});
    await latecomer.connect();
    await latecomer.subscribe({topic: 'groups.admin', fromBeginning: false});
    await latecomer.run({eachMessage: async () => void seen++});
    await waitFor(async () => (await admin.describeGroups(['g-admin'])).groups[0]!.state === 'Stable', 10_000, 'latecomer joined');
    const producer2 = kafka.producer();
    await producer2.connect();
    await producer2.send({topic: 'groups.admin', messages: [{value: 'after-reset', partition: 0}]});
    await producer2.disconnect();
    await waitFor(() => seen >= 1, 10_000, 'the new record');
    await sleep(300);
    expect(seen).toBe(1); // only the record produced after the reset: the ten before it were skipped
    await latecomer.disconnect();
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain('g-admin');
    await admin.deleteGroups(['g-admin']);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('g-admin');
    const gone = (await admin.fetchOffsets({groupId: 'g-admin', topics: ['groups.admin']}))[0]!.partitions;
    expect(gone.every((p) => p.offset === '-1')).toBe(true);

    // Offsets of a deleted topic go away.
    await admin.setOffsets({groupId: 'g-topic', topic: 'groups.admin', partitions: [{partition: 0, offset: '1'}]});
    await admin.deleteTopics({topics: ['groups.admin']});
    await admin.createTopics({topics: [{topic: 'groups.admin', numPartitions: 2}]});
    const afterDelete = (await admin.fetchOffsets({groupId: 'g-topic', topics: ['groups.admin']}))[0]!.partitions;
    expect(afterDelete.every((p) => p.offset === '-1')).toBe(true);
    await admin.disconnect();
  });
});
