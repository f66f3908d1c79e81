import kafkajs, {type Kafka as KafkaClient, type KafkaConfig, type SASLOptions, type Admin, type logCreator} from 'kafkajs';
import type {Connection} from './connection.js';
import {registerCodecs} from './compression.js';
import {KpatError, NoBrokerError, OperationError} from '../core/errors.js';

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

const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|Connection timeout|connection error|Failed to connect/i;

/** Kafka's error code name (UNKNOWN_TOPIC_OR_PARTITION …) of an error or of what it wraps (retries exceeded). */
export function kafkaErrorType(error: unknown): string | undefined {
  let cur = error as {type?: string; cause?: unknown; originalError?: unknown} | undefined;
  for (let i = 0; cur && i < 5; i++) {
    if (cur.type) return cur.type;
    cur = (cur.originalError ?? cur.cause) as typeof cur;
  }
  return undefined;
}

/** Turns client errors into kpat errors whose messages name the fix. */
export function translateKafkaError(error: unknown, conn: Connection): KpatError {
  if (error instanceof KpatError) return error;
  const e = error as Error & {name?: string; cause?: unknown; originalError?: unknown; retryCount?: number; type?: string};
  const chain: string[] = [];
  let cur: unknown = e;
  for (let i = 0; cur && i < 5; i++) {
    const c = cur as {message?: string; name?: string; cause?: unknown; originalError?: unknown; code?: string};
    chain.push(`${c.name ?? ''} ${c.code ?? ''} ${c.message ?? ''}`);
    cur = c.originalError ?? c.cause;
  }
  const text = chain.join(' | ');
  if (e.name === 'KafkaJSConnectionError' || e.name === 'KafkaJSNonRetriableError' || e.name === 'KafkaJSNumberOfRetriesExceeded') {
    if (UNREACHABLE.test(text)) {
      return new NoBrokerError(conn.brokers);
    }
  }
  if (e.name === 'KafkaJSSASLAuthenticationError') {
    return new OperationError(`authentication failed at ${conn.brokers.join(',')}: ${e.message} — check --sasl-username/--sasl-password`);
  }
  if (UNREACHABLE.test(text)) return new NoBrokerError(conn.brokers);
  return new OperationError(e.message || String(error));
}

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
