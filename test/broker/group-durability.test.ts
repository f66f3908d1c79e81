import {createServer} from 'node:net';
import {rmSync} from 'node:fs';
import kafkajs from 'kafkajs';
import {afterAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/broker.js';
import {spawnBrokerProcess, type BrokerProcess} from '../helpers/broker-process.js';

const {Kafka, logLevel} = kafkajs;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dir = tempDir();
const running: BrokerProcess[] = [];
afterAll(async () => {
  for (const b of running) await b.kill();
  rmSync(dir, {recursive: true, force: true});
});

/** A port that was free a moment ago: the restarted broker must come back where clients expect it. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as {port: number}).port;
      s.close(() => resolve(port));
    });
  });
}

async function until(cond: () => Promise<boolean> | boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await sleep(100);
  }
  throw new Error(`timed out: ${what}`);
}

describe('consumer groups across broker restarts', () => {
  it('keeps committed offsets and group metadata through SIGKILL; a live consumer carries on without reprocessing', async () => {
    const port = await freePort();
    const first = await spawnBrokerProcess(dir, {port});
    running.push(first);
    const kafka = new Kafka({brokers: [first.bootstrap], logLevel: logLevel.NOTHING, retry: {retries: 20, initialRetryTime: 100, maxRetryTime: 1000}});
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({topics: [{topic: 'durable.v1', numPartitions: 2}]});
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({topic: 'durable.v1', messages: Array.from({length: 100}, (_, i) => ({key: `k${i}`, value: `v${i}`}))});

    const seen: string[] = [];
    const consumer = kafka.consumer({groupId: 'g-durable', sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 200});
    await consumer.connect();
    await consumer.subscribe({topic: 'durable.v1', fromBeginning: true});
    await consumer.run({eachMessage: async ({message}) => void seen.push(message.value!.toString())});
    const committedEqualsEnd = async () => {
      const ends = await admin.fetchTopicOffsets('durable.v1');
      const committed = (await admin.fetchOffsets({groupId: 'g-durable', topics: ['durable.v1']}))[0]!.partitions;
      return ends.every((e) => committed.find((c) => c.partition === e.partition)?.offset === e.high);
    };
    await until(committedEqualsEnd, 20_000, 'first commits');
    const before = (await admin.fetchOffsets({groupId: 'g-durable', topics: ['durable.v1']}))[0]!.partitions;
    const groupBefore = (await admin.describeGroups(['g-durable'])).groups[0]!;
    expect(groupBefore.state).toBe('Stable');

    await first.kill();
    const second = await spawnBrokerProcess(dir, {port});
    running.push(second);

    // Offsets and the group's generation, protocol and members came back.
    await until(async () => {
      try {
        return (await admin.describeGroups(['g-durable'])).groups[0]!.state === 'Stable';
      } catch {
        return false;
      }
    }, 20_000, 'the group after restart');
    const after = (await admin.fetchOffsets({groupId: 'g-durable', topics: ['durable.v1']}))[0]!.partitions;
    expect(after).toEqual(before);
    const groupAfter = (await admin.describeGroups(['g-durable'])).groups[0]!;
    expect(groupAfter.protocol).toBe(groupBefore.protocol);
    expect(groupAfter.members.map((m) => m.memberId)).toEqual(groupBefore.members.map((m) => m.memberId));

    // The consumer reconnects and continues from its committed offsets.
    await producer.send({topic: 'durable.v1', messages: Array.from({length: 50}, (_, i) => ({key: `k${i}`, value: `w${i}`}))});
    await until(() => seen.filter((v) => v.startsWith('w')).length >= 50, 30_000, 'the new records');
    await until(committedEqualsEnd, 20_000, 'commits after restart');
    expect(new Set(seen).size).toBe(150);
    expect(seen.filter((v) => v.startsWith('v'))).toHaveLength(100); // nothing from before the crash was processed twice
    await consumer.disconnect();
    await producer.disconnect();
    await admin.disconnect();
  });
});
