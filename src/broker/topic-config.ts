import type {BrokerConfig} from './config.js';
import {ErrorCode, KafkaProtocolError} from './protocol/errors.js';

/**
 * The topic-level configs of Kafka 3.7, in the order Kafka describes them (by name), with
 * Kafka's defaults and the broker configs that stand in for them (ServerTopicConfigSynonyms).
 * Unknown names are refused like Kafka does (INVALID_CONFIG). kpat acts on the ones marked
 * `acts`; the others (replication, compaction, flushing, tiered storage …) are validated, kept
 * and described with Kafka's defaults so tools that set or read them keep working.
 */
interface ConfigDef {
  /** Kafka's default for the topic config. */
  kafkaDefault: string;
  /**
   * Broker configs standing in for it, the first one ruling (Kafka's synonym list). `defaults`
   * are Kafka's own defaults for those that have one, in the broker's unit (log.retention.hours=168).
   */
  broker?: {names: string[]; defaults: Record<string, string>};
  /** The value this kpat broker is configured with, where one of its settings is that config. */
  kpatBroker?: (b: BrokerConfig) => string;
  acts?: boolean;
  /** null when valid, else why not. */
  check: (value: string) => string | null;
}

const MAX_LONG = '9223372036854775807';
const invalid = (value: string, name: string) => `Invalid value ${value} for configuration ${name}`;
const isLong = (min: number) => (v: string) => (/^-?\d+$/.test(v) && BigInt(v) >= BigInt(min) && BigInt(v) <= BigInt(MAX_LONG) ? null : '');
const oneOf = (...values: string[]) => (v: string) => (values.includes(v) ? null : '');
const ratio = (v: string) => (/^\d*\.?\d+$/.test(v) && Number(v) >= 0 && Number(v) <= 1 ? null : '');
const replicaList = (v: string) => (v === '' || v === '*' || /^\d+:\d+(,\d+:\d+)*$/.test(v.replace(/\s/g, '')) ? null : '');
const messageFormat = (v: string) => (/^\d+\.\d+(\.\d+)?(-IV\d+)?$/.test(v) ? null : '');
const noTieredStorage = (v: string) =>
  v === 'false' ? null : v === 'true' ? 'Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.' : '';

/** One broker synonym with Kafka's default, the same as the topic config's. */
const same = (name: string, kafkaDefault: string) => ({names: [name], defaults: {[name]: kafkaDefault}});

export const TOPIC_CONFIGS: Record<string, ConfigDef> = {
  'cleanup.policy': {kafkaDefault: 'delete', broker: same('log.cleanup.policy', 'delete'), check: oneOf('delete', 'compact', 'compact,delete', 'delete,compact')},
  'compression.type': {kafkaDefault: 'producer', broker: same('compression.type', 'producer'), check: oneOf('producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd')},
  'delete.retention.ms': {kafkaDefault: '86400000', broker: same('log.cleaner.delete.retention.ms', '86400000'), check: isLong(0)},
  'file.delete.delay.ms': {kafkaDefault: '60000', broker: same('log.segment.delete.delay.ms', '60000'), check: isLong(0)},
  'flush.messages': {kafkaDefault: MAX_LONG, broker: same('log.flush.interval.messages', MAX_LONG), check: isLong(1)},
  'flush.ms': {
    kafkaDefault: MAX_LONG,
    broker: {names: ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'], defaults: {'log.flush.scheduler.interval.ms': MAX_LONG}},
    check: isLong(0),
  },
  'follower.replication.throttled.replicas': {kafkaDefault: '', check: replicaList},
  'index.interval.bytes': {kafkaDefault: '4096', broker: same('log.index.interval.bytes', '4096'), kpatBroker: (b) => String(b.indexIntervalBytes), acts: true, check: isLong(0)},
  'leader.replication.throttled.replicas': {kafkaDefault: '', check: replicaList},
  'local.retention.bytes': {kafkaDefault: '-2', broker: same('log.local.retention.bytes', '-2'), check: isLong(-2)},
  'local.retention.ms': {kafkaDefault: '-2', broker: same('log.local.retention.ms', '-2'), check: isLong(-2)},
  'max.compaction.lag.ms': {kafkaDefault: MAX_LONG, broker: same('log.cleaner.max.compaction.lag.ms', MAX_LONG), check: isLong(1)},
  'max.message.bytes': {kafkaDefault: '1048588', broker: same('message.max.bytes', '1048588'), kpatBroker: (b) => String(b.messageMaxBytes), acts: true, check: isLong(0)},
  'message.downconversion.enable': {kafkaDefault: 'true', broker: same('log.message.downconversion.enable', 'true'), check: oneOf('true', 'false')},
  'message.format.version': {kafkaDefault: '3.0-IV1', broker: same('log.message.format.version', '3.0-IV1'), check: messageFormat},
  'message.timestamp.after.max.ms': {kafkaDefault: MAX_LONG, broker: same('log.message.timestamp.after.max.ms', MAX_LONG), check: isLong(0)},
  'message.timestamp.before.max.ms': {kafkaDefault: MAX_LONG, broker: same('log.message.timestamp.before.max.ms', MAX_LONG), check: isLong(0)},
  'message.timestamp.difference.max.ms': {kafkaDefault: MAX_LONG, broker: same('log.message.timestamp.difference.max.ms', MAX_LONG), check: isLong(0)},
  'message.timestamp.type': {kafkaDefault: 'CreateTime', broker: same('log.message.timestamp.type', 'CreateTime'), acts: true, check: oneOf('CreateTime', 'LogAppendTime')},
  'min.cleanable.dirty.ratio': {kafkaDefault: '0.5', broker: same('log.cleaner.min.cleanable.ratio', '0.5'), check: ratio},
  'min.compaction.lag.ms': {kafkaDefault: '0', broker: same('log.cleaner.min.compaction.lag.ms', '0'), check: isLong(0)},
  'min.insync.replicas': {kafkaDefault: '1', broker: same('min.insync.replicas', '1'), check: isLong(1)},
  preallocate: {kafkaDefault: 'false', broker: same('log.preallocate', 'false'), check: oneOf('true', 'false')},
  'remote.storage.enable': {kafkaDefault: 'false', check: noTieredStorage},
  'retention.bytes': {kafkaDefault: '-1', broker: same('log.retention.bytes', '-1'), kpatBroker: (b) => String(b.retentionBytes), acts: true, check: isLong(-1)},
  'retention.ms': {
    kafkaDefault: '604800000',
    broker: {names: ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'], defaults: {'log.retention.hours': '168'}},
    kpatBroker: (b) => String(b.retentionMs),
    acts: true,
    check: isLong(-1),
  },
  'segment.bytes': {kafkaDefault: '1073741824', broker: same('log.segment.bytes', '1073741824'), kpatBroker: (b) => String(b.segmentBytes), acts: true, check: isLong(1024)},
  'segment.index.bytes': {kafkaDefault: '10485760', broker: same('log.index.size.max.bytes', '10485760'), check: isLong(4)},
  'segment.jitter.ms': {
    kafkaDefault: '0',
    broker: {names: ['log.roll.jitter.ms', 'log.roll.jitter.hours'], defaults: {'log.roll.jitter.hours': '0'}},
    check: isLong(0),
  },
  'segment.ms': {
    kafkaDefault: '604800000',
    broker: {names: ['log.roll.ms', 'log.roll.hours'], defaults: {'log.roll.hours': '168'}},
    acts: true,
    check: isLong(1),
  },
  'unclean.leader.election.enable': {kafkaDefault: 'false', broker: same('unclean.leader.election.enable', 'false'), check: oneOf('true', 'false')},
};

/** Throws INVALID_CONFIG naming the first bad entry. */
export function validateTopicConfigs(configs: Record<string, string>): void {
  for (const [name, value] of Object.entries(configs)) {
    const def = TOPIC_CONFIGS[name];
    if (!def) throw new KafkaProtocolError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${name}`);
    const problem = def.check(value);
    if (problem !== null) throw new KafkaProtocolError(ErrorCode.INVALID_CONFIG, problem || invalid(value, name));
  }
}

/** Where a value comes from, with Kafka's DescribeConfigs source ids. */
export const ConfigSource = {DYNAMIC_TOPIC_CONFIG: 1, STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5} as const;

export interface ConfigSynonym {
  name: string;
  value: string;
  source: number;
}

export interface DescribedTopicConfig {
  name: string;
  value: string;
  source: number;
  /** Kafka's order of precedence: the topic's own value, then the broker's, then defaults. */
  synonyms: ConfigSynonym[];
}

/** The broker's value for a topic config: this broker's setting if it has one, else Kafka's default. */
function brokerValue(def: ConfigDef, broker: BrokerConfig): string {
  return def.kpatBroker?.(broker) ?? def.kafkaDefault;
}

/**
 * Every topic config as Kafka's DescribeConfigs gives it: source DYNAMIC_TOPIC_CONFIG when set
 * on the topic, else DEFAULT_CONFIG. Synonyms follow Kafka: the topic's own value, then the
 * broker's defaults for its synonyms from the ruling broker name on (which is why retention.ms,
 * whose only default is log.retention.hours, shows none). Where this broker's built-in setting
 * differs from Kafka's (segment.bytes is 64 MiB here), that is the default the ruling broker
 * config shows.
 */
export function describeTopicConfigs(overrides: Record<string, string>, broker: BrokerConfig): DescribedTopicConfig[] {
  return Object.entries(TOPIC_CONFIGS).map(([name, def]) => {
    const synonyms = def.broker ? brokerSynonyms(def, def.broker, broker) : [];
    const set = overrides[name];
    if (set !== undefined) synonyms.unshift({name, value: set, source: ConfigSource.DYNAMIC_TOPIC_CONFIG});
    return {name, value: set ?? brokerValue(def, broker), source: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG, synonyms};
  });
}

function brokerSynonyms(def: ConfigDef, synonyms: NonNullable<ConfigDef['broker']>, broker: BrokerConfig): ConfigSynonym[] {
  const ruling = synonyms.names[0]!;
  const own = brokerValue(def, broker);
  if (own !== def.kafkaDefault) return [{name: ruling, value: own, source: ConfigSource.DEFAULT_CONFIG}];
  const withDefaults = synonyms.names
    .filter((n) => synonyms.defaults[n] !== undefined)
    .map((n) => ({name: n, value: synonyms.defaults[n]!, source: ConfigSource.DEFAULT_CONFIG}));
  const from = withDefaults.findIndex((s) => s.name === ruling);
  return from < 0 ? [] : withDefaults.slice(from);
}

export function topicConfigValue(name: string, overrides: Record<string, string>, broker: BrokerConfig): string {
  const def = TOPIC_CONFIGS[name];
  if (!def) throw new Error(`unknown topic config ${name}`);
  return overrides[name] ?? brokerValue(def, broker);
}
