import {readdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Kafka, logLevel} from 'kafkajs';
import {afterEach, describe, expect, it} from 'vitest';
import {FdPool} from '../../src/broker/log/fd-pool.js';
import {PartitionLog} from '../../src/broker/log/partition-log.js';
import {CreateTopicsRequestSchema, CreateTopicsResponseSchema} from '../../src/broker/protocol/messages/create-topics.js';
import {encodeRecordBatch} from '../../src/broker/protocol/record-batch.js';
import {startTestBroker, tempDir} from '../helpers/broker.js';
import {spawnBrokerProcess, type BrokerProcess} from '../helpers/broker-process.js';
import {RawClient} from '../helpers/raw-client.js';
import {connectionTo, readTopic} from '../helpers/read-topic.js';

const cleanups: Array<() => Promise<void> | void> = [];
// Removing 10,000 partition folders takes a while on a busy machine.
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
}, 300_000);

function dir(): string {
  const d = tempDir('kpat-fds-');
  cleanups.push(() => rmSync(d, {recursive: true, force: true}));
  return d;
}

const batch = (value: string) => encodeRecordBatch({records: [{key: 'k', value, timestamp: Date.now()}]});

describe('bounded open segment files', () => {
  it('keeps every log readable and appendable with fewer descriptors than segments, fsync included', async () => {
    const base = dir();
    const pool = new FdPool(3);
    const config = {segmentBytes: 1024, segmentMs: 3_600_000, indexIntervalBytes: 256, retentionMs: -1, retentionBytes: -1, timestampType: 'CreateTime' as const, fsync: 'always' as const, maxMessageBytes: 1_000_000};
    const logs = await Promise.all(Array.from({length: 10}, (_, i) => PartitionLog.open(join(base, `p-${i}`), config, () => {}, pool)));
    for (let round = 0; round < 30; round++) {
      for (const [i, log] of logs.entries()) log.append(batch(`${i}:${round}:${'x'.repeat(60)}`), Date.now());
      await Promise.all(logs.map((log) => log.flush()));
      expect(pool.openCount).toBeLessThanOrEqual(3);
    }
    expect(logs[0]!.segmentCount).toBeGreaterThan(1);
    for (const log of logs) expect(log.read(0, 1_000_000).length).toBeGreaterThan(0);
    expect(pool.openCount).toBeLessThanOrEqual(3);
    await Promise.all(logs.map((log) => log.close()));
    expect(pool.openCount).toBe(0);

    // Reopened, every record of every log is there.
    const again = await Promise.all(Array.from({length: 10}, (_, i) => PartitionLog.open(join(base, `p-${i}`), config, () => {}, pool)));
    for (const log of again) expect(log.logEndOffset).toBe(30);
    await Promise.all(again.map((log) => log.close()));
  });

  it('a topic creation that fails half way leaves nothing behind and says why', async () => {
    const tb = await startTestBroker();
    cleanups.push(() => tb.stop());
    // A file where partition 5's folder would go makes that partition fail to open.
    writeFileSync(join(tb.dataDir, 'half.v1-5'), 'in the way');
    const client = await RawClient.connect(tb.bootstrap);
    cleanups.push(() => client.close());
    const {response} = await client.request(CreateTopicsRequestSchema, CreateTopicsResponseSchema, 4, {
      topics: [{name: 'half.v1', numPartitions: 10, replicationFactor: 1, assignments: [], configs: []}],
      timeoutMs: 10_000,
      validateOnly: false,
    });
    expect(response.topics[0]).toMatchObject({name: 'half.v1', errorCode: -1});
    expect(response.topics[0]!.errorMessage).toMatch(/^could not create partition 5 of half\.v1: .*(EEXIST|ENOTDIR)/);
    expect(readdirSync(tb.dataDir).filter((e) => e.startsWith('half.v1'))).toEqual([]);
    expect(tb.broker.ctx.topics.get('half.v1')).toBeUndefined();
    // The connection stays usable and the name is free again.
    const retry = await client.request(CreateTopicsRequestSchema, CreateTopicsResponseSchema, 4, {
      topics: [{name: 'half.v1', numPartitions: 10, replicationFactor: 1, assignments: [], configs: []}],
      timeoutMs: 10_000,
      validateOnly: false,
    });
    expect(retry.response.topics[0]).toMatchObject({errorCode: 0});
  });

  it('serves 10,000 partitions under a 256 open-file limit, across a restart', async () => {
    const base = dir();
    const start = async () => {
      const b = await spawnBrokerProcess(base, {nofile: 256, fsync: 'never'});
      cleanups.push(() => b.kill());
      return b;
    };
    let broker: BrokerProcess = await start();
    const topics = Array.from({length: 10}, (_, i) => `wide${i}.v1`);
    const kafka = (bootstrap: string) => new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: {retries: 0}, requestTimeout: 120_000});

    const admin = kafka(broker.bootstrap).admin();
    await admin.connect();
    for (const topic of topics) {
      await admin.createTopics({topics: [{topic, numPartitions: 1000}], timeout: 120_000});
    }
    const meta = await admin.fetchTopicMetadata({topics});
    expect(meta.topics.reduce((n, t) => n + t.partitions.length, 0)).toBe(10_000);
    await admin.disconnect();

    // A spread of partitions over every topic, each written twice so reads hit reopened files.
    const spread = topics.flatMap((topic, t) => Array.from({length: 25}, (_, k) => ({topic, partition: (k * 41 + t * 7) % 1000})));
    const producer = kafka(broker.bootstrap).producer();
    await producer.connect();
    for (const round of [0, 1]) {
      await producer.sendBatch({
        acks: -1,
        topicMessages: spread.map(({topic, partition}) => ({topic, messages: [{partition, value: `${topic}/${partition}/${round}`}]})),
      });
    }
    await producer.disconnect();

    const expected = (topic: string) =>
      spread
        .filter((s) => s.topic === topic)
        .flatMap(({partition}) => [0, 1].map((round) => `${topic}/${partition}/${round}`))
        .sort();
    const readBack = async (bootstrap: string, topic: string) =>
      (await readTopic(connectionTo(bootstrap), topic)).map((r) => String(r.value)).sort();
    for (const topic of [topics[0]!, topics[9]!]) expect(await readBack(broker.bootstrap, topic)).toEqual(expected(topic));

    await broker.stop();
    expect(broker.log()).not.toMatch(/EMFILE/);
    broker = await start();
    for (const topic of topics) expect(await readBack(broker.bootstrap, topic)).toEqual(expected(topic));
    expect(broker.log()).not.toMatch(/EMFILE/);
    await broker.stop();
  }, 600_000);
});
