/** Per-partition log settings; names follow the Kafka topic configs they implement. */
export interface LogConfig {
  /** segment.bytes: roll before an append would make the active segment larger than this. */
  segmentBytes: number;
  /** segment.ms: roll when the active segment's first batch is older than this. */
  segmentMs: number;
  /** index.interval.bytes: one sparse index entry per this many bytes of batches. */
  indexIntervalBytes: number;
  /** retention.ms; -1 keeps data forever. */
  retentionMs: number;
  /** retention.bytes; -1 means no size limit. */
  retentionBytes: number;
  /** message.timestamp.type */
  timestampType: 'CreateTime' | 'LogAppendTime';
  /** 'always': flush() fsyncs (callers await it before acknowledging); 'never': leave it to the OS. */
  fsync: 'always' | 'never';
  /** max.message.bytes: the largest record batch accepted. */
  maxMessageBytes: number;
}

/** Kafka's broker defaults. */
export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  indexIntervalBytes: 4096,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  timestampType: 'CreateTime',
  fsync: 'never',
  maxMessageBytes: 1024 * 1024 + 12,
});

/** Throws on values that would break the log (the config API maps this to INVALID_CONFIG). */
export function checkLogConfig(config: LogConfig): void {
  const ranges: Array<[keyof LogConfig, number]> = [
    ['segmentBytes', 1],
    ['segmentMs', 1],
    ['indexIntervalBytes', 0], // 0 indexes every batch
    ['maxMessageBytes', 0],
    ['retentionMs', -1],
    ['retentionBytes', -1],
  ];
  for (const [key, min] of ranges) {
    const value = config[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      throw new RangeError(`log config ${key} must be a number >= ${min}, got ${String(value)}`);
    }
  }
  // Index positions are 32-bit and Kafka's segment.bytes is an int.
  if (config.segmentBytes > 0x7fffffff) throw new RangeError(`log config segmentBytes must be at most 2147483647`);
  if (config.timestampType !== 'CreateTime' && config.timestampType !== 'LogAppendTime') {
    throw new RangeError(`log config timestampType must be CreateTime or LogAppendTime`);
  }
  if (config.fsync !== 'always' && config.fsync !== 'never') {
    throw new RangeError(`log config fsync must be always or never`);
  }
}
