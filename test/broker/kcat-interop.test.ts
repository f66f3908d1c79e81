import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readTopic} from '../helpers/read-topic.js';
import {registerCodecs} from '../../src/kafka/compression.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {kcat} from '../helpers/kcat.js';

let tb: TestBroker;

beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

async function readValues(topic: string): Promise<Array<{key: string | null; value: string}>> {
  return (await readTopic(tb.conn, topic)).map((r) => ({key: r.key?.toString() ?? null, value: r.value!.toString()}));
}

describe('kcat (librdkafka) against the embedded broker', () => {
  it('lists topics with -L', async () => {
    const kafka = new Kafka({brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({topics: [{topic: 'listed.v1', numPartitions: 4}]});
    await admin.disconnect();
    const meta = JSON.parse(await kcat(['-b', tb.bootstrap, '-L', '-J']));
    const topic = meta.topics.find((t: {topic: string}) => t.topic === 'listed.v1');
    expect(topic.partitions).toHaveLength(4);
    expect(meta.brokers).toEqual([{id: 1, name: tb.bootstrap}]);
  });

  it('reads back with -C -e exactly what it wrote with -P', async () => {
    const lines = Array.from({length: 200}, (_, i) => `key-${i % 7}:value ${i} ${'é'.repeat(i % 3)}`);
    await kcat(['-b', tb.bootstrap, '-t', 'kcat.rt', '-P', '-K:'], lines.join('\n') + '\n');
    const out = await kcat(['-b', tb.bootstrap, '-t', 'kcat.rt', '-C', '-e', '-q', '-f', '%k:%s\\n']);
    expect(out.trimEnd().split('\n')).toEqual(lines);
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    it(`records kcat writes with ${codec} are read by kafkajs`, async () => {
      const topic = `kcat.${codec}`;
      const lines = Array.from({length: 300}, (_, i) => `k${i % 5}:${codec}-${i}-${'abc'.repeat(20)}`);
      await kcat(['-b', tb.bootstrap, '-t', topic, '-P', '-K:', '-z', codec], lines.join('\n') + '\n');
      const got = await readValues(topic);
      expect(got.map((r) => `${r.key}:${r.value}`)).toEqual(lines);
    });
  }

  it('kcat reads what kafkajs writes compressed with each codec', async () => {
    registerCodecs();
    const kafka = new Kafka({brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
    const producer = kafka.producer();
    await producer.connect();
    const {CompressionTypes} = await import('kafkajs');
    const codecs = [CompressionTypes.GZIP, CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD];
    for (const [i, compression] of codecs.entries()) {
      await producer.send({topic: 'kjs.compressed', compression, messages: [{key: `c${i}`, value: `codec ${i} ${'z'.repeat(200)}`}]});
    }
    await producer.disconnect();
    const out = await kcat(['-b', tb.bootstrap, '-t', 'kjs.compressed', '-C', '-e', '-q', '-f', '%k=%s\\n']);
    expect(out.trimEnd().split('\n')).toEqual(codecs.map((_, i) => `c${i}=codec ${i} ${'z'.repeat(200)}`));
  });
});
