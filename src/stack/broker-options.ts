import {resolve} from 'node:path';
import type {BrokerConfigInput} from '../broker/config.js';
import {ConfigError} from '../core/errors.js';
import {stackPaths} from './paths.js';
import {localTlsPaths} from './tls-paths.js';

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
  'advertised-host': {kind: 'string', summary: 'Host name written into metadata for clients (default: --host, or 127.0.0.1 when bound to 0.0.0.0). Also named in the --tls certificate.'},
  tls: {kind: 'boolean', summary: 'Listen with TLS. Without --tls-cert/--tls-key, a local CA and a server certificate are created once under $KPAT_HOME/tls (clients trust its ca.pem).', default: false},
  'tls-cert': {kind: 'string', summary: 'PEM server certificate to use instead of the local CA\'s (with --tls-key).'},
  'tls-key': {kind: 'string', summary: 'PEM private key of --tls-cert.'},
  'tls-ca': {kind: 'string', summary: 'PEM CA that signs client certificates (--tls-client-auth required). Default: the local CA.'},
  'tls-client-auth': {kind: 'string', summary: 'required: mutual TLS, clients must show a certificate signed by --tls-ca; its subject is their principal.', options: ['none', 'required'], default: 'none'},
  sasl: {kind: 'strings', summary: 'Require SASL with these mechanisms (repeatable or comma-separated): plain, scram-sha-256, scram-sha-512.', options: ['plain', 'scram-sha-256', 'scram-sha-512']},
  user: {kind: 'strings', summary: 'A SASL user, name:password (repeatable). Stored salted and hashed (SCRAM), never as the password.'},
  acl: {kind: 'boolean', summary: 'Enforce ACLs on every request, as Kafka\'s authorizer: nothing is allowed without an ACL (`kpat acl add`), except to --super-user.', default: false},
  'super-user': {kind: 'strings', summary: 'A principal ACLs never restrict, e.g. User:admin (repeatable).'},
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
  'advertised-host'?: string;
  tls?: boolean;
  'tls-cert'?: string;
  'tls-key'?: string;
  'tls-ca'?: string;
  'tls-client-auth'?: string;
  sasl?: string[];
  user?: string[];
  acl?: boolean;
  'super-user'?: string[];
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
    ...securityConfigFrom(values),
    host: values.host ?? o.host.default,
    port: values.port ?? o.port.default,
    dataDir: resolve(values['data-dir'] ?? stackPaths().defaultDataDir),
    fsync,
    autoCreateTopics: values['auto-create-topics'] ?? o['auto-create-topics'].default,
    defaultPartitions: values['default-partitions'] ?? o['default-partitions'].default,
    maxOpenLogFiles: values['max-open-log-files'] ?? o['max-open-log-files'].default,
  };
}

type SaslMechanism = NonNullable<BrokerConfigInput['sasl']>['mechanisms'][number];

/** --sasl values, each possibly a comma-separated list, as Kafka names them (SCRAM-SHA-256). */
function saslMechanisms(values: string[]): SaslMechanism[] {
  const allowed = ['plain', 'scram-sha-256', 'scram-sha-512'];
  const names = values.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter((v) => v.length > 0);
  for (const n of names) if (!allowed.includes(n)) throw new ConfigError(`--sasl ${n} is not a mechanism this broker offers — use plain, scram-sha-256 or scram-sha-512`);
  return [...new Set(names.map((n) => n.toUpperCase() as SaslMechanism))];
}

/** TLS, SASL and user settings from the options, checked. */
function securityConfigFrom(values: BrokerOptionValues): Pick<BrokerConfigInput, 'advertisedHost' | 'tls' | 'sasl' | 'users' | 'acl' | 'superUsers'> {
  const out: Pick<BrokerConfigInput, 'advertisedHost' | 'tls' | 'sasl' | 'users' | 'acl' | 'superUsers'> = {};
  if (values.acl) out.acl = true;
  const superUsers = values['super-user'] ?? [];
  for (const p of superUsers) if (!/^[^:]+:.+$/.test(p)) throw new ConfigError(`--super-user ${p} must be a principal, Type:name — e.g. --super-user User:${p}`);
  if (superUsers.length > 0) out.superUsers = superUsers;
  if (values['advertised-host']) out.advertisedHost = values['advertised-host'];
  const own = values['tls-cert'] ?? values['tls-key'];
  if (values.tls || own) {
    if (own && !(values['tls-cert'] && values['tls-key'])) throw new ConfigError('--tls-cert and --tls-key go together: pass both (PEM files), or neither to use the local CA');
    const local = localTlsPaths(stackPaths().home);
    const clientAuth = values['tls-client-auth'] ?? 'none';
    if (clientAuth !== 'none' && clientAuth !== 'required') throw new ConfigError(`--tls-client-auth must be none or required, got ${clientAuth}`);
    if (clientAuth === 'required' && own && !values['tls-ca']) throw new ConfigError('--tls-client-auth required with your own --tls-cert needs --tls-ca, the CA that signs client certificates');
    out.tls = {
      certFile: resolve(values['tls-cert'] ?? local.cert),
      keyFile: resolve(values['tls-key'] ?? local.key),
      caFile: values['tls-ca'] ? resolve(values['tls-ca']) : own ? undefined : local.ca,
      clientAuth,
    };
  } else if (values['tls-ca'] || (values['tls-client-auth'] && values['tls-client-auth'] !== 'none')) {
    throw new ConfigError('--tls-ca and --tls-client-auth need a TLS listener — add --tls');
  }
  if (values.sasl && values.sasl.length > 0) out.sasl = {mechanisms: saslMechanisms(values.sasl)};
  if (values.user && values.user.length > 0) {
    if (!out.sasl) throw new ConfigError('--user needs SASL on the listener — add --sasl scram-sha-256 (or plain, scram-sha-512)');
    out.users = values.user.map((spec) => {
      const colon = spec.indexOf(':');
      if (colon <= 0 || colon === spec.length - 1) throw new ConfigError(`--user ${spec.slice(0, Math.max(colon, 0)) || spec.split(':')[0]}:… must be name:password, e.g. --user alice:secret`);
      return {user: spec.slice(0, colon), password: spec.slice(colon + 1)};
    });
  }
  return out;
}

/** True when the broker's certificate is the local CA's (created on start when missing). */
export const usesLocalTls = (config: BrokerConfigInput): boolean => config.tls?.certFile === localTlsPaths(stackPaths().home).cert;
