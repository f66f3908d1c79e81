import {resolve} from 'node:path';
import type {BrokerConfigInput} from '../broker/config.js';
import {ConfigError} from '../core/errors.js';
import {stackPaths} from './paths.js';

/**
 * The broker's command-line options, declared once: `kpat up` and `kpat broker
 * start` turn them into oclif flags, and the broker process `kpat up` spawns
 * reads them without the CLI framework (see broker-args.ts). Plain data, so the
 * broker's start path loads nothing of the CLI.
 */
export const BROKER_OPTIONS = {
  port: {kind: 'integer', char: 'p', summary: 'Port to listen on (0 = any free port).', default: 9092, min: 0, max: 65535},
  host: {kind: 'string', summary: 'Address to listen on.', default: '127.0.0.1'},
  'data-dir': {kind: 'string', char: 'd', summary: 'Where topics and offsets are stored. Default: $KPAT_HOME/data (~/.kpat/data).'},
  fsync: {
    kind: 'string',
    summary: 'always: acknowledge acks=1/-1 writes only after fsync (no acknowledged write is lost). never: rely on the OS page cache (faster; a machine crash can lose recent writes).',
    options: ['always', 'never'],
    default: 'always',
  },
  'auto-create-topics': {kind: 'boolean', summary: 'Create unknown topics on first use, like auto.create.topics.enable.', default: true},
  'default-partitions': {kind: 'integer', summary: 'Partitions of an auto-created topic.', default: 1, min: 1, max: 100_000},
  'registry-port': {
    kind: 'integer',
    summary: 'Port of the schema registry hosted beside the broker (0 = any free port). `kpat up` defaults to 8081 (any free port with --port 0); `kpat broker start` hosts none unless given.',
    min: 0,
    max: 65535,
  },
  'metrics-port': {
    kind: 'integer',
    summary: 'Port of the Prometheus endpoint (/metrics) hosted beside the broker (0 = any free port). `kpat up` defaults to 9308, kafka_exporter\'s port (any free port with --port 0); `kpat broker start` serves none unless given.',
    min: 0,
    max: 65535,
  },
  'max-open-log-files': {
    kind: 'integer',
    summary: 'Segment files kept open at once across all partitions; others are reopened on use. Keep it well under the open-file limit (ulimit -n).',
    default: 128,
    min: 4,
    max: 1_000_000,
  },
} as const;

/** The options' values as either parser gives them (absent = default). */
export interface BrokerOptionValues {
  port?: number;
  host?: string;
  'data-dir'?: string;
  fsync?: string;
  'auto-create-topics'?: boolean;
  'default-partitions'?: number;
  'max-open-log-files'?: number;
  'registry-port'?: number;
  'metrics-port'?: number;
}

export const DEFAULT_REGISTRY_PORT = 8081;

/**
 * The registry port `kpat up` asks for: the flag, else 8081 — unless the broker
 * itself takes any free port, when the registry does too (so stacks started side
 * by side with --port 0 do not fight over 8081).
 */
export const upRegistryPort = (values: {port?: number; 'registry-port'?: number}): number =>
  values['registry-port'] ?? (values.port === 0 ? 0 : DEFAULT_REGISTRY_PORT);

/**
 * kafka_exporter's port: a Prometheus job or dashboard written for kafka_exporter finds `kpat up`
 * where it looked before (and it is clear of the broker's 9092 and the registry's 8081).
 */
export const DEFAULT_METRICS_PORT = 9308;

/** The metrics port `kpat up` asks for: the flag, else 9308 — any free port when the broker takes one (as for the registry). */
export const upMetricsPort = (values: {port?: number; 'metrics-port'?: number}): number =>
  values['metrics-port'] ?? (values.port === 0 ? 0 : DEFAULT_METRICS_PORT);

/** The broker's settings from its options, defaults filled in and values checked. */
export function brokerConfigFrom(values: BrokerOptionValues): BrokerConfigInput {
  const o = BROKER_OPTIONS;
  const fsync = values.fsync ?? o.fsync.default;
  if (fsync !== 'always' && fsync !== 'never') throw new ConfigError(`--fsync must be always or never, got ${fsync}`);
  return {
    host: values.host ?? o.host.default,
    port: values.port ?? o.port.default,
    dataDir: resolve(values['data-dir'] ?? stackPaths().defaultDataDir),
    fsync,
    autoCreateTopics: values['auto-create-topics'] ?? o['auto-create-topics'].default,
    defaultPartitions: values['default-partitions'] ?? o['default-partitions'].default,
    maxOpenLogFiles: values['max-open-log-files'] ?? o['max-open-log-files'].default,
  };
}
