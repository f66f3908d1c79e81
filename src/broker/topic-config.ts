import type {BrokerConfig} from './config.js';
import {ErrorCode, KafkaProtocolError} from './protocol/errors.js';

/**
 * The topic-level configs the broker knows. Each has a default taken from the
 * broker's settings; unknown names are refused like Kafka does (INVALID_CONFIG).
 * Configs without an effect on a single node (min.insync.replicas …) are kept and
 * described so tools that set them keep working.
 */
interface ConfigDef {
  default: (broker: BrokerConfig) => string;
  validate: (value: string) => boolean;
}

const isLong = (min: number) => (v: string) => /^-?\d+$/.test(v) && Number(v) >= min;
const oneOf = (...values: string[]) => (v: string) => values.includes(v);

export const TOPIC_CONFIGS: Record<string, ConfigDef> = {
  'cleanup.policy': {default: () => 'delete', validate: oneOf('delete', 'compact', 'compact,delete', 'delete,compact')},
  'retention.ms': {default: (b) => String(b.retentionMs), validate: isLong(-1)},
  'retention.bytes': {default: (b) => String(b.retentionBytes), validate: isLong(-1)},
  'segment.bytes': {default: (b) => String(b.segmentBytes), validate: isLong(1024)},
  'segment.ms': {default: () => String(7 * 24 * 3600 * 1000), validate: isLong(1)},
  'segment.index.bytes': {default: () => String(10 * 1024 * 1024), validate: isLong(4)},
  'index.interval.bytes': {default: (b) => String(b.indexIntervalBytes), validate: isLong(0)},
  'max.message.bytes': {default: (b) => String(b.messageMaxBytes), validate: isLong(0)},
  'message.timestamp.type': {default: () => 'CreateTime', validate: oneOf('CreateTime', 'LogAppendTime')},
  'message.timestamp.difference.max.ms': {default: () => '9223372036854775807', validate: isLong(0)},
  'compression.type': {default: () => 'producer', validate: oneOf('producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd')},
  'min.insync.replicas': {default: () => '1', validate: isLong(1)},
  'unclean.leader.election.enable': {default: () => 'false', validate: oneOf('true', 'false')},
  'delete.retention.ms': {default: () => '86400000', validate: isLong(0)},
  'file.delete.delay.ms': {default: () => '60000', validate: isLong(0)},
  'flush.messages': {default: () => '9223372036854775807', validate: isLong(1)},
  'flush.ms': {default: () => '9223372036854775807', validate: isLong(0)},
  'min.compaction.lag.ms': {default: () => '0', validate: isLong(0)},
  'max.compaction.lag.ms': {default: () => '9223372036854775807', validate: isLong(1)},
  'min.cleanable.dirty.ratio': {default: () => '0.5', validate: (v) => !Number.isNaN(Number(v))},
  'preallocate': {default: () => 'false', validate: oneOf('true', 'false')},
};

export function isKnownTopicConfig(name: string): boolean {
  return Object.hasOwn(TOPIC_CONFIGS, name);
}

/** Throws INVALID_CONFIG naming the first bad entry. */
export function validateTopicConfigs(configs: Record<string, string>): void {
  for (const [name, value] of Object.entries(configs)) {
    const def = TOPIC_CONFIGS[name];
    if (!def) throw new KafkaProtocolError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${name}`);
    if (!def.validate(value)) throw new KafkaProtocolError(ErrorCode.INVALID_CONFIG, `Invalid value ${value} for configuration ${name}`);
  }
}

/** Every known config with its effective value and whether it was set on the topic. */
export function effectiveTopicConfigs(
  overrides: Record<string, string>,
  broker: BrokerConfig,
): Array<{name: string; value: string; isDefault: boolean}> {
  return Object.entries(TOPIC_CONFIGS).map(([name, def]) => {
    const set = overrides[name];
    return set === undefined ? {name, value: def.default(broker), isDefault: true} : {name, value: set, isDefault: false};
  });
}

export function topicConfigValue(name: string, overrides: Record<string, string>, broker: BrokerConfig): string {
  const def = TOPIC_CONFIGS[name];
  if (!def) throw new Error(`unknown topic config ${name}`);
  return overrides[name] ?? def.default(broker);
}
