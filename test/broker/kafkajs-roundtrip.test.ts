import {CompressionTypes, Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {ConsumedRecord} from '../../src/kafka/records.js';
import {readTopic} from '../helpers/read-topic.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';

let tb: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  tb = await startTestBroker({fsync: 'always'});
  kafka = new Kafka({clientId: 'roundtrip', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
});
afterAll(async () => tb.stop());

const readAll = (topic: string) => readTopic(tb.conn, topic);

describe('kafkajs against the embedded broker', () => {
  it('creates a 3-partition topic, produces 10,000 keyed records with acks=-1 and reads them all back in per-key order', async () => {
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({topics: [{topic: 'orders.v1', numPartitions: 3}], waitForLeaders: true})).toBe(true);
    const meta = await admin.fetchTopicMetadata({topics: ['orders.v1']});
    expect(meta.topics[0]!.partitions).toHaveLength(3);
    await admin.disconnect();

    const producer = kafka.producer();
    await producer.connect();
    const total = 10_000;
    const keys = 50;
    const baseTs = Date.now() - 60_000;
    for (let start = 0; start < total; start += 1000) {
      await producer.send({
        topic: 'orders.v1',
        acks: -1,
        messages: Array.from({length: 1000}, (_, j) => {
          const i = start + j;
          return {key: `k${i % keys}`, value: JSON.stringify({i}), headers: {seq: String(i)}, timestamp: String(baseTs + i)};
        }),
      });
    }
    await producer.disconnect();

    const records = await readAll('orders.v1');
    expect(records).toHaveLength(total);
    const seen = new Set(records.map((r) => JSON.parse(r.value!.toString()).i as number));
    expect(seen.size).toBe(total);
    // Per key, sequence numbers come back in produce order; every key stays on one partition.
    const lastByKey = new Map<string, number>();
    const partitionByKey = new Map<string, number>();
    const byPartition = new Map<number, ConsumedRecord[]>();
    for (const r of records) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
    expect(byPartition.size).toBe(3);
    for (const list of byPartition.values()) {
      list.forEach((r, idx) => expect(r.offset).toBe(idx));
      for (const r of list) {
        const key = r.key!.toString();
        const i = JSON.parse(r.value!.toString()).i as number;
        expect(i).toBeGreaterThan(lastByKey.get(key) ?? -1);
        lastByKey.set(key, i);
        expect(partitionByKey.get(key) ?? r.partition).toBe(r.partition);
        partitionByKey.set(key, r.partition);
        // Headers and timestamps round-trip.
        expect(String(r.headers.seq)).toBe(String(i));
        expect(r.timestamp).toBe(baseTs + i);
      }
    }
  });

  it('reads back gzip-compressed batches', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'gzipped',
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: Array.from({length: 500}, (_, i) => ({key: `k${i}`, value: `value-${i}-${'x'.repeat(100)}`})),
    });
    await producer.disconnect();
    const records = await readAll('gzipped');
    expect(records.map((r) => r.value!.toString())).toEqual(Array.from({length: 500}, (_, i) => `value-${i}-${'x'.repeat(100)}`));
  });

  it('answers ListOffsets by timestamp and DeleteRecords moves the log start', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({topics: [{topic: 'timed', numPartitions: 1}]});
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({topic: 'timed', messages: [0, 1, 2, 3].map((i) => ({value: `v${i}`, timestamp: String(1_000_000 + i * 1000)}))});
    await producer.disconnect();
    const byTs = await admin.fetchTopicOffsetsByTimestamp('timed', 1_001_500);
    expect(byTs).toEqual([{partition: 0, offset: '2'}]);
    const late = await admin.fetchTopicOffsetsByTimestamp('timed', 9_000_000);
    expect(late[0]!.offset).toBe('4');
    await admin.deleteTopicRecords({topic: 'timed', partitions: [{partition: 0, offset: '2'}]});
    const offsets = await admin.fetchTopicOffsets('timed');
    expect(offsets[0]).toMatchObject({partition: 0, low: '2', high: '4'});
    const rest = await readAll('timed');
    expect(rest.map((r) => r.value!.toString())).toEqual(['v2', 'v3']);
    await admin.disconnect();
  });
});
