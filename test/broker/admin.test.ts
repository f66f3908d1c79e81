import kafkajs from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readPartitions} from '../../src/kafka/partition-reader.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {RawClient} from '../helpers/raw-client.js';
import {MetadataRequestSchema, MetadataResponseSchema} from '../../src/broker/protocol/messages/metadata.js';
import {ProduceRequestSchema} from '../../src/broker/protocol/messages/produce.js';
import {encodeMessage} from '../../src/broker/protocol/schema.js';
import {encodeRecordBatch} from '../../src/broker/protocol/record-batch.js';
import {Reader} from '../../src/broker/protocol/primitives.js';

const {Kafka, logLevel, ConfigResourceTypes} = kafkajs;

let tb: TestBroker;
let admin: kafkajs.Admin;
let kafka: kafkajs.Kafka;

beforeAll(async () => {
  tb = await startTestBroker({retentionCheckIntervalMs: 50, defaultPartitions: 2});
  kafka = new Kafka({brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
  await tb.stop();
});

describe('topic administration', () => {
  it('validate_only checks a create without creating', async () => {
    await admin.createTopics({validateOnly: true, waitForLeaders: false, topics: [{topic: 'dry.v1', numPartitions: 4}]});
    expect(await admin.listTopics()).not.toContain('dry.v1');
    await expect(admin.createTopics({validateOnly: true, waitForLeaders: false, topics: [{topic: 'bad name!', numPartitions: 1}]})).rejects.toThrow();
    const rf = await admin.createTopics({topics: [{topic: 'rf.v1', numPartitions: 1, replicationFactor: 3}]}).catch((e: {errors?: Array<{type: string}>}) => e);
    expect((rf as {errors: Array<{type: string}>}).errors[0]!.type).toBe('INVALID_REPLICATION_FACTOR');
  });

  it('auto-creates on metadata with the default partition count', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({topic: 'auto.v1', messages: [{value: 'x'}]});
    await producer.disconnect();
    const meta = await admin.fetchTopicMetadata({topics: ['auto.v1']});
    expect(meta.topics[0]!.partitions).toHaveLength(2);
  });

  it('grows partitions, refuses to shrink', async () => {
    await admin.createTopics({topics: [{topic: 'grow.v1', numPartitions: 1}]});
    await admin.createPartitions({topicPartitions: [{topic: 'grow.v1', count: 3}]});
    expect((await admin.fetchTopicOffsets('grow.v1')).length).toBe(3);
    await expect(admin.createPartitions({topicPartitions: [{topic: 'grow.v1', count: 2}]})).rejects.toThrow();
  });

  it('describes and alters topic configs (AlterConfigs replaces the set)', async () => {
    await admin.createTopics({topics: [{topic: 'cfg.v1', configEntries: [{name: 'retention.ms', value: '3600000'}, {name: 'cleanup.policy', value: 'delete'}]}]});
    const described = await admin.describeConfigs({includeSynonyms: false, resources: [{type: ConfigResourceTypes.TOPIC, name: 'cfg.v1'}]});
    const entries = described.resources[0]!.configEntries;
    expect(entries.find((e) => e.configName === 'retention.ms')).toMatchObject({configValue: '3600000', isDefault: false});
    expect(entries.find((e) => e.configName === 'segment.bytes')).toMatchObject({isDefault: true});

    await admin.alterConfigs({validateOnly: false, resources: [{type: ConfigResourceTypes.TOPIC, name: 'cfg.v1', configEntries: [{name: 'retention.bytes', value: '1048576'}]}]});
    const after = (await admin.describeConfigs({includeSynonyms: false, resources: [{type: ConfigResourceTypes.TOPIC, name: 'cfg.v1'}]})).resources[0]!.configEntries;
    expect(after.find((e) => e.configName === 'retention.bytes')).toMatchObject({configValue: '1048576', isDefault: false});
    expect(after.find((e) => e.configName === 'retention.ms')).toMatchObject({isDefault: true});

    await expect(
      admin.alterConfigs({validateOnly: false, resources: [{type: ConfigResourceTypes.TOPIC, name: 'cfg.v1', configEntries: [{name: 'no.such.config', value: '1'}]}]}),
    ).rejects.toThrow();
    const broker = await admin.describeConfigs({includeSynonyms: false, resources: [{type: ConfigResourceTypes.BROKER, name: '1'}]});
    expect(broker.resources[0]!.configEntries.find((e) => e.configName === 'auto.create.topics.enable')?.configValue).toBe('true');
  });

  it('deletes topics and forgets them', async () => {
    await admin.createTopics({topics: [{topic: 'doomed.v1'}]});
    await admin.deleteTopics({topics: ['doomed.v1']});
    expect(await admin.listTopics()).not.toContain('doomed.v1');
    await admin.createTopics({topics: [{topic: 'doomed.v1'}]});
    expect((await admin.fetchTopicOffsets('doomed.v1'))[0]).toMatchObject({low: '0', high: '0'});
  });
});

describe('timestamps and retention', () => {
  it('stamps LogAppendTime topics with the broker clock', async () => {
    await admin.createTopics({topics: [{topic: 'appendtime.v1', configEntries: [{name: 'message.timestamp.type', value: 'LogAppendTime'}]}]});
    const producer = kafka.producer();
    await producer.connect();
    const before = Date.now();
    await producer.send({topic: 'appendtime.v1', messages: [{value: 'a', timestamp: '1000'}]});
    await producer.disconnect();
    const conn = tb.conn;
    for await (const r of readPartitions(conn, {topic: 'appendtime.v1', start: {kind: 'earliest'}, stopAtEnd: true})) {
      expect(r.timestamp).toBeGreaterThanOrEqual(before);
      expect(r.timestamp).toBeLessThanOrEqual(Date.now());
    }
  });

  it('retention.ms advances the log start offset in the background', async () => {
    await admin.createTopics({topics: [{topic: 'expiring.v1', configEntries: [{name: 'segment.bytes', value: '1024'}, {name: 'retention.ms', value: '60000'}]}]});
    const producer = kafka.producer();
    await producer.connect();
    const old = Date.now() - 3_600_000;
    for (let i = 0; i < 10; i++) await producer.send({topic: 'expiring.v1', messages: [{value: 'x'.repeat(300), timestamp: String(old + i)}]});
    await producer.send({topic: 'expiring.v1', messages: [{value: 'fresh'}]});
    await producer.disconnect();
    let low = '0';
    for (let i = 0; i < 40 && low === '0'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      low = (await admin.fetchTopicOffsets('expiring.v1'))[0]!.low;
    }
    expect(Number(low)).toBeGreaterThan(0);
    expect(Number(low)).toBeLessThanOrEqual(10);
  });
});

describe('acks=0', () => {
  it('gets no response at all; the next request is answered in order', async () => {
    const c = await RawClient.connect(tb.bootstrap);
    await c.request(MetadataRequestSchema, MetadataResponseSchema, 4, {topics: [{name: 'fire.v1'}], allowAutoTopicCreation: true});
    const body = {transactionalId: null, acks: 0, timeoutMs: 1000, topicData: [{name: 'fire.v1', partitionData: [{index: 0, records: encodeRecordBatch({records: [{value: Buffer.from('f')}]})}]}]};
    c.send(0, 7, encodeMessage(ProduceRequestSchema, 7, body).toBuffer());
    const metaCorr = c.send(3, 1, Buffer.from([0xff, 0xff, 0xff, 0xff]));
    expect(new Reader(await c.nextFrame()).readInt32()).toBe(metaCorr);
    expect(tb.broker.ctx.topics.partition('fire.v1', 0)!.logEndOffset).toBe(1);
    c.close();
  });
});
