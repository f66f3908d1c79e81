import {Kafka, logLevel, type Producer} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ApiVersionsRequestSchema, ApiVersionsResponseSchema, MetadataRequestSchema, MetadataResponseSchema} from '../../src/broker/protocol/messages/index.js';
import {startFaultProxy, type FaultPlan, type FaultProxy, type ProxyEvent} from '../../src/kafka/proxy/index.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {kcat} from '../helpers/kcat.js';
import {RawClient} from '../helpers/raw-client.js';
import {readTopic} from '../helpers/read-topic.js';

// The broker advertises 127.0.0.2 while the proxy reaches it at 127.0.0.1: every client that
// works through the proxy works because the proxy stood in for the advertised broker.
let tb: TestBroker;
let port: number;
beforeAll(async () => {
  tb = await startTestBroker({host: '0.0.0.0', advertisedHost: '127.0.0.2'});
  port = Number(tb.bootstrap.split(':')[1]);
});
afterAll(async () => tb.stop());

const target = () => `127.0.0.1:${port}`;

function recorded(proxy: FaultProxy): ProxyEvent[] {
  const events: ProxyEvent[] = [];
  proxy.events.subscribe((e) => events.push(e));
  return events;
}

async function createTopic(topic: string, numPartitions = 1): Promise<void> {
  const admin = new Kafka({clientId: 'kpat-test', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING}).admin();
  await admin.connect();
  await admin.createTopics({topics: [{topic, numPartitions}], waitForLeaders: true});
  await admin.disconnect();
}

const kafkaVia = (proxy: FaultProxy) =>
  new Kafka({clientId: 'kpat-test', brokers: [proxy.bootstrap], logLevel: logLevel.NOTHING, retry: {retries: 20, initialRetryTime: 20, maxRetryTime: 200}});

/** Sends `count` records one at a time (each acknowledged before the next). */
async function produceOneByOne(producer: Producer, topic: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await producer.send({topic, acks: -1, messages: [{key: `k${i}`, value: `v${i}`}]});
}

async function valueCounts(topic: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const r of await readTopic(tb.conn, topic)) counts.set(String(r.value), (counts.get(String(r.value)) ?? 0) + 1);
  return counts;
}

const API_VERSIONS = {clientSoftwareName: 'kpat-test', clientSoftwareVersion: '1'};
const DROP_PRODUCE: FaultPlan = {dropResponses: {probability: 0.3}};
const RECORDS = 40;

describe('dropped Produce responses', () => {
  it('make a plain producer (retries on, not idempotent) write duplicates, and lose nothing', async () => {
    await createTopic('proxy.plain');
    const proxy = await startFaultProxy({target: target(), seed: 7, plan: DROP_PRODUCE});
    const producer = kafkaVia(proxy).producer({idempotent: false, allowAutoTopicCreation: false});
    try {
      await producer.connect();
      await produceOneByOne(producer, 'proxy.plain', RECORDS);
    } finally {
      await producer.disconnect();
      await proxy.close();
    }
    const counts = await valueCounts('proxy.plain');
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(counts.size).toBe(RECORDS);
    expect(proxy.stats().responsesDropped).toBeGreaterThan(0);
    expect(total - RECORDS).toBeGreaterThan(0);
    expect(total - RECORDS).toBe(proxy.stats().responsesDropped);
  });

  it('leave an idempotent producer (maxInFlightRequests 1) with every record exactly once', async () => {
    await createTopic('proxy.idempotent');
    const proxy = await startFaultProxy({target: target(), seed: 7, plan: DROP_PRODUCE});
    const producer = kafkaVia(proxy).producer({idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false});
    try {
      await producer.connect();
      await produceOneByOne(producer, 'proxy.idempotent', RECORDS);
    } finally {
      await producer.disconnect();
      await proxy.close();
    }
    const counts = await valueCounts('proxy.idempotent');
    expect(proxy.stats().responsesDropped).toBeGreaterThan(0);
    expect(counts.size).toBe(RECORDS);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('clients stay on the proxy', () => {
  it('kcat produces and consumes through it: Metadata names the proxy, not the broker', async () => {
    const proxy = await startFaultProxy({target: target(), seed: 1});
    const events = recorded(proxy);
    try {
      const lines = Array.from({length: 20}, (_, i) => `k${i}:v${i}`);
      await kcat(['-b', proxy.bootstrap, '-t', 'proxy.kcat', '-P', '-K:'], lines.join('\n') + '\n');
      const out = await kcat(['-b', proxy.bootstrap, '-t', 'proxy.kcat', '-C', '-e', '-q', '-f', '%k:%s\\n']);
      expect(out.trimEnd().split('\n')).toEqual(lines);
      const listing = await kcat(['-b', proxy.bootstrap, '-L']);
      expect(listing).not.toContain('127.0.0.2');
      const requests = proxy.stats().requests;
      expect(requests.Produce).toBeGreaterThan(0);
      expect(requests.Fetch).toBeGreaterThan(0);
      expect(events).toContainEqual(expect.objectContaining({type: 'broker-listener', nodeId: expect.any(Number), upstream: `127.0.0.2:${port}`}));
    } finally {
      await proxy.close();
    }
  });

  it('a kafkajs consumer group joins, consumes and commits through it', async () => {
    await createTopic('proxy.group', 3);
    const direct = new Kafka({clientId: 'kpat-test', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING}).producer();
    await direct.connect();
    await direct.send({topic: 'proxy.group', messages: Array.from({length: 30}, (_, i) => ({key: `k${i}`, value: `v${i}`}))});
    await direct.disconnect();

    const proxy = await startFaultProxy({target: target(), seed: 1});
    const consumer = kafkaVia(proxy).consumer({groupId: 'proxy-group', heartbeatInterval: 500});
    const seen = new Set<string>();
    try {
      await consumer.connect();
      await consumer.subscribe({topic: 'proxy.group', fromBeginning: true});
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({message}) => {
              seen.add(String(message.value));
              if (seen.size === 30) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await proxy.close();
    }
    expect(seen.size).toBe(30);
    const requests = proxy.stats().requests;
    for (const api of ['FindCoordinator', 'JoinGroup', 'SyncGroup', 'OffsetCommit']) expect(requests[api], api).toBeGreaterThan(0);
  });
});

/** A fixed sequence of requests, reconnecting whenever the proxy closes the connection; returns the faults seen. */
async function driveFixedSequence(seed: number): Promise<string[]> {
  const proxy = await startFaultProxy({
    target: target(),
    seed,
    plan: {dropResponses: {probability: 0.25, apiKeys: [3]}, delayMs: {min: 1, max: 9}, cutProbability: 0.1},
  });
  const faults: string[] = [];
  proxy.events.subscribe((e) => {
    if (e.type === 'fault') faults.push(`${e.fault} ${e.api} #${e.correlationId}${e.delayMs ? ` ${e.delayMs}ms` : ''}`);
  });
  let client = await RawClient.connect(proxy.bootstrap);
  try {
    for (let i = 0; i < 30; i++) {
      if (client.closed) client = await RawClient.connect(proxy.bootstrap);
      const attempt = i % 2 === 0
        ? client.request(ApiVersionsRequestSchema, ApiVersionsResponseSchema, 0, API_VERSIONS)
        : client.request(MetadataRequestSchema, MetadataResponseSchema, 1, {topics: []});
      await attempt.catch(() => undefined);
    }
  } finally {
    client.close();
    await proxy.close();
  }
  return faults;
}

describe('seeded faults', () => {
  it('the same seed and the same requests give the same faults; another seed other faults', async () => {
    const first = await driveFixedSequence(42);
    const again = await driveFixedSequence(42);
    const other = await driveFixedSequence(43);
    expect(first.some((f) => f.startsWith('drop-response'))).toBe(true);
    expect(first.some((f) => f.startsWith('cut'))).toBe(true);
    expect(first.some((f) => f.startsWith('delay'))).toBe(true);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('a paused proxy holds traffic and delivers it on resume; cutAll closes every client connection', async () => {
    const proxy = await startFaultProxy({target: target(), seed: 1, plan: {paused: true}});
    const client = await RawClient.connect(proxy.bootstrap);
    try {
      let answered = false;
      const pending = client.request(ApiVersionsRequestSchema, ApiVersionsResponseSchema, 0, API_VERSIONS).then((r) => ((answered = true), r));
      await new Promise((r) => setTimeout(r, 200));
      expect(answered).toBe(false);
      proxy.setPlan({});
      expect((await pending).response.errorCode).toBe(0);
      proxy.cutAll();
      await expect(client.nextFrame()).rejects.toThrow(/closed/);
      expect(proxy.stats().connectionsCut).toBe(1);
    } finally {
      client.close();
      await proxy.close();
    }
  });
});
