import kafkajs, {type Kafka as KafkaClient, type KafkaConfig, type SASLOptions, type Admin, type logCreator} from 'kafkajs';
import type {Connection} from './connection.js';
import {registerCodecs} from './compression.js';
import {translateKafkaError} from './client-errors.js';

// kafkajs is CommonJS: Node's ESM loader sees only its default export.
const {Kafka, logLevel} = kafkajs;

export interface ClientOptions {
  /** Fail fast for CLI helpers (a few quick retries); long-running participants use kafkajs defaults. */
  fast?: boolean;
  /** Print client logs to stderr. */
  verbose?: boolean;
  clientIdSuffix?: string;
}

const stderrLogCreator: logCreator =
  () =>
  ({namespace, level, log}) => {
    const {message, ...extra} = log;
    process.stderr.write(`[kafkajs ${logLevel[level]} ${namespace}] ${message} ${JSON.stringify(extra)}\n`);
  };

function saslFor(conn: Connection): SASLOptions | undefined {
  if (!conn.sasl) return undefined;
  const {mechanism, username, password} = conn.sasl;
  return {mechanism, username, password} as SASLOptions;
}

export function createKafka(conn: Connection, opts: ClientOptions = {}): KafkaClient {
  registerCodecs();
  const config: KafkaConfig = {
    clientId: opts.clientIdSuffix ? `${conn.clientId}-${opts.clientIdSuffix}` : conn.clientId,
    brokers: conn.brokers,
    ssl: conn.tls ? {ca: conn.tls.ca, cert: conn.tls.cert, key: conn.tls.key, rejectUnauthorized: conn.tls.rejectUnauthorized} : undefined,
    sasl: saslFor(conn),
    logLevel: opts.verbose ? logLevel.INFO : logLevel.NOTHING,
    logCreator: opts.verbose ? stderrLogCreator : undefined,
    connectionTimeout: opts.fast ? 3000 : 10_000,
    retry: opts.fast ? {retries: 2, initialRetryTime: 100, maxRetryTime: 1000} : undefined,
  };
  return new Kafka(config);
}

export {kafkaErrorType, translateKafkaError} from './client-errors.js';

/** Runs `fn` with a connected admin client, always disconnecting. */
export async function withAdmin<T>(conn: Connection, fn: (admin: Admin) => Promise<T>, opts: ClientOptions = {fast: true}): Promise<T> {
  const admin = createKafka(conn, opts).admin();
  try {
    await admin.connect();
    return await fn(admin);
  } catch (error) {
    throw translateKafkaError(error, conn);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
