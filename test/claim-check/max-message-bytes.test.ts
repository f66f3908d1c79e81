import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {kcat} from '../helpers/kcat.js';
import {readTopic} from '../helpers/read-topic.js';

let tb: TestBroker;
let kafka: Kafka;

beforeAll(async () => {
  tb = await startTestBroker();
  kafka = new Kafka({brokers: [tb.bootstrap], logLevel: logLevel.NOTHING, retry: {retries: 0}});
});
afterAll(async () => tb.stop());

const MIB = 1024 * 1024;

describe('max.message.bytes', () => {
  it('refuses a kafkajs batch over the broker default (1 MiB) with MESSAGE_TOO_LARGE and keeps one under it', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({topics: [{topic: 'big.default', numPartitions: 1}]});
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    try {
      const error = await producer.send({topic: 'big.default', messages: [{value: Buffer.alloc(2 * MIB, 1)}]}).catch((e: unknown) => e);
      expect((error as {type?: string}).type).toBe('MESSAGE_TOO_LARGE');
      await producer.send({topic: 'big.default', messages: [{value: Buffer.alloc(MIB - 1024, 2)}]});
    } finally {
      await producer.disconnect();
    }
    const records = await readTopic(tb.conn, 'big.default');
    expect(records.map((r) => r.value!.length)).toEqual([MIB - 1024]);
  });

  it('follows the topic config, set at creation and changed later', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({topics: [{topic: 'big.small', numPartitions: 1, configEntries: [{name: 'max.message.bytes', value: '2000'}]}]});
    const producer = kafka.producer();
    await producer.connect();
    try {
      const error = await producer.send({topic: 'big.small', messages: [{value: Buffer.alloc(3000)}]}).catch((e: unknown) => e);
      expect((error as {type?: string}).type).toBe('MESSAGE_TOO_LARGE');
      await admin.alterConfigs({validateOnly: false, resources: [{type: 2, name: 'big.small', configEntries: [{name: 'max.message.bytes', value: '10000'}]}]});
      await producer.send({topic: 'big.small', messages: [{value: Buffer.alloc(3000)}]});
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('refuses kcat (librdkafka) over the topic limit: the record never lands', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({topics: [{topic: 'big.kcat', numPartitions: 1, configEntries: [{name: 'max.message.bytes', value: '4096'}]}]});
    await admin.disconnect();
    // librdkafka's own limit (message.max.bytes) is raised so that the broker is the one refusing.
    const refused = await kcat(['-b', tb.bootstrap, '-t', 'big.kcat', '-P', '-X', 'message.max.bytes=100000'], 'x'.repeat(8000) + '\n').catch((e: Error) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/too large|MSG_SIZE_TOO_LARGE/i);
    await kcat(['-b', tb.bootstrap, '-t', 'big.kcat', '-P'], 'small\n');
    const out = await kcat(['-b', tb.bootstrap, '-t', 'big.kcat', '-C', '-e', '-q']);
    expect(out).toBe('small\n');
  });
});
