/** The on-disk partition log of the embedded broker. */
export {PartitionLog, type AppendOptions, type AppendResult, type Logger, type TimestampAndOffset} from './partition-log.js';
export {DEFAULT_LOG_CONFIG, checkLogConfig, type LogConfig} from './log-config.js';
