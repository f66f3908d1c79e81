import {ConfigResourceTypes, Kafka, logLevel, type Admin} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';

// Kafka 3.7's topic configs as `kafka-configs --describe --all` lists them.
const KAFKA_TOPIC_CONFIGS = [
  'cleanup.policy',
  'compression.type',
  'delete.retention.ms',
  'file.delete.delay.ms',
  'flush.messages',
  'flush.ms',
  'follower.replication.throttled.replicas',
  'index.interval.bytes',
  'leader.replication.throttled.replicas',
  'local.retention.bytes',
  'local.retention.ms',
  'max.compaction.lag.ms',
  'max.message.bytes',
  'message.downconversion.enable',
  'message.format.version',
  'message.timestamp.after.max.ms',
  'message.timestamp.before.max.ms',
  'message.timestamp.difference.max.ms',
  'message.timestamp.type',
  'min.cleanable.dirty.ratio',
  'min.compaction.lag.ms',
  'min.insync.replicas',
  'preallocate',
  'remote.storage.enable',
  'retention.bytes',
  'retention.ms',
  'segment.bytes',
  'segment.index.bytes',
  'segment.jitter.ms',
  'segment.ms',
  'unclean.leader.election.enable',
];

const DYNAMIC_TOPIC_CONFIG = 1;
const DEFAULT_CONFIG = 5;

let tb: TestBroker;
let admin: Admin;

beforeAll(async () => {
  tb = await startTestBroker();
  admin = new Kafka({brokers: [tb.bootstrap], logLevel: logLevel.NOTHING, retry: {retries: 0}}).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{topic: 'described.v1', configEntries: [{name: 'retention.ms', value: '3600000'}, {name: 'cleanup.policy', value: 'compact'}]}],
  });
});
afterAll(async () => {
  await admin.disconnect();
  await tb.stop();
});

async function describeTopic(includeSynonyms: boolean, configNames?: string[]) {
  const res = await admin.describeConfigs({includeSynonyms, resources: [{type: ConfigResourceTypes.TOPIC, name: 'described.v1', configNames}]});
  return res.resources[0]!.configEntries;
}

describe('DescribeConfigs of a topic, like Kafka', () => {
  it('lists every Kafka topic config in Kafka\'s order, none read-only or sensitive', async () => {
    const entries = await describeTopic(true);
    expect(entries.map((e) => e.configName)).toEqual(KAFKA_TOPIC_CONFIGS);
    expect(entries.every((e) => !e.readOnly && !e.isSensitive)).toBe(true);
  });

  it('gives sources and synonyms as Kafka does: the topic\'s override first, then the broker default', async () => {
    const byName = new Map((await describeTopic(true)).map((e) => [e.configName, e]));
    expect(byName.get('retention.ms')).toMatchObject({
      configValue: '3600000',
      configSource: DYNAMIC_TOPIC_CONFIG,
      isDefault: false,
      configSynonyms: [{configName: 'retention.ms', configValue: '3600000', configSource: DYNAMIC_TOPIC_CONFIG}],
    });
    expect(byName.get('cleanup.policy')).toMatchObject({
      configValue: 'compact',
      configSource: DYNAMIC_TOPIC_CONFIG,
      configSynonyms: [
        {configName: 'cleanup.policy', configValue: 'compact', configSource: DYNAMIC_TOPIC_CONFIG},
        {configName: 'log.cleanup.policy', configValue: 'delete', configSource: DEFAULT_CONFIG},
      ],
    });
    expect(byName.get('compression.type')).toMatchObject({
      configValue: 'producer',
      configSource: DEFAULT_CONFIG,
      isDefault: true,
      configSynonyms: [{configName: 'compression.type', configValue: 'producer', configSource: DEFAULT_CONFIG}],
    });
    expect(byName.get('max.message.bytes')!.configSynonyms).toEqual([{configName: 'message.max.bytes', configValue: '1048588', configSource: DEFAULT_CONFIG}]);
    expect(byName.get('segment.index.bytes')!.configSynonyms).toEqual([{configName: 'log.index.size.max.bytes', configValue: '10485760', configSource: DEFAULT_CONFIG}]);
    // This broker's own default segment size stands where Kafka's would.
    expect(byName.get('segment.bytes')).toMatchObject({
      configValue: String(64 * 1024 * 1024),
      configSource: DEFAULT_CONFIG,
      configSynonyms: [{configName: 'log.segment.bytes', configValue: String(64 * 1024 * 1024), configSource: DEFAULT_CONFIG}],
    });
    // Kafka's only defaults here are the *.hours synonyms, which it leaves out.
    for (const name of ['segment.ms', 'segment.jitter.ms', 'flush.ms']) expect(byName.get(name)!.configSynonyms).toEqual([]);
    // Configs without a broker synonym.
    expect(byName.get('follower.replication.throttled.replicas')).toMatchObject({configValue: '', configSource: DEFAULT_CONFIG, configSynonyms: []});
    expect(byName.get('remote.storage.enable')).toMatchObject({configValue: 'false', configSynonyms: []});
    expect(byName.get('local.retention.ms')).toMatchObject({configValue: '-2', configSynonyms: [{configName: 'log.local.retention.ms', configValue: '-2', configSource: DEFAULT_CONFIG}]});
    expect(byName.get('message.format.version')!.configValue).toBe('3.0-IV1');
  });

  it('leaves synonyms out unless asked, and narrows to the keys asked for', async () => {
    expect((await describeTopic(false)).every((e) => e.configSynonyms.length === 0)).toBe(true);
    const two = await describeTopic(true, ['segment.ms', 'retention.ms']);
    expect(two.map((e) => e.configName)).toEqual(['retention.ms', 'segment.ms']);
  });

  it('keeps configs it only reports, and refuses remote storage like a broker without tiered storage', async () => {
    await admin.createTopics({topics: [{topic: 'reported.v1', configEntries: [{name: 'message.timestamp.after.max.ms', value: '60000'}, {name: 'leader.replication.throttled.replicas', value: '*'}]}]});
    const res = await admin.describeConfigs({includeSynonyms: true, resources: [{type: ConfigResourceTypes.TOPIC, name: 'reported.v1'}]});
    const byName = new Map(res.resources[0]!.configEntries.map((e) => [e.configName, e]));
    expect(byName.get('message.timestamp.after.max.ms')).toMatchObject({
      configValue: '60000',
      configSource: DYNAMIC_TOPIC_CONFIG,
      configSynonyms: [
        {configName: 'message.timestamp.after.max.ms', configValue: '60000', configSource: DYNAMIC_TOPIC_CONFIG},
        {configName: 'log.message.timestamp.after.max.ms', configValue: '9223372036854775807', configSource: DEFAULT_CONFIG},
      ],
    });
    expect(byName.get('leader.replication.throttled.replicas')).toMatchObject({configValue: '*', configSource: DYNAMIC_TOPIC_CONFIG});
    const refused = await admin
      .createTopics({topics: [{topic: 'tiered.v1', configEntries: [{name: 'remote.storage.enable', value: 'true'}]}]})
      .then(() => null, (error: {errors?: Array<{type?: string}>}) => error);
    expect(refused?.errors?.[0]?.type).toBe('INVALID_CONFIG');
    // kafkajs drops the broker's error message; the broker's own check says why.
    expect(() => tb.broker.ctx.topics.validateCreate('tiered.v1', 1, {'remote.storage.enable': 'true'})).toThrow(/Tiered Storage functionality is disabled/);
  });
});
