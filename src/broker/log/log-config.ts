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
  const positive: Array<keyof LogConfig> = ['segmentBytes', 'segmentMs', 'indexIntervalBytes', 'maxMessageBytes'];
  for (const key of positive) {
    const value = config[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`log config ${key} must be a positive number, got ${String(value)}`);
    }
  }
  for (const key of ['retentionMs', 'retentionBytes'] as const) {
    if (!Number.isFinite(config[key]) || config[key] < -1) {
      throw new RangeError(`log config ${key} must be -1 or more, got ${config[key]}`);
    }
  }
  if (config.timestampType !== 'CreateTime' && config.timestampType !== 'LogAppendTime') {
    throw new RangeError(`log config timestampType must be CreateTime or LogAppendTime`);
  }
  if (config.fsync !== 'always' && config.fsync !== 'never') {
    throw new RangeError(`log config fsync must be always or never`);
  }
}
