import {AppendSignal} from './append-signal.js';
import {createHandlers, unsupportedResponse} from './apis/index.js';
import type {BrokerContext} from './apis/types.js';
import {brokerConfig, type BrokerConfigInput} from './config.js';
import {DataDirLock} from './data-dir-lock.js';
import {GroupCoordinator} from './groups/coordinator.js';
import {KafkaServer} from './server.js';
import {CredentialStore} from './security/credentials.js';
import {Authorizer} from './security/authorizer.js';
import {tlsServerOptions} from './security/tls-listener.js';
import {TopicStore} from './topics.js';
import {ProducerIdAllocator} from './txn/producer-ids.js';
import {ProducerStateRegistry} from './txn/producer-registry.js';
import {TxnCoordinator} from './txn/txn-coordinator.js';

// How often open transactions are checked against their timeout (Kafka checks every 10 s).
const TXN_TIMEOUT_CHECK_MS = 1000;

export interface RunningBroker {
  host: string;
  port: number;
  /** host:port for clients. */
  bootstrap: string;
  ctx: BrokerContext;
  /** Graceful stop: stop accepting, finish in-flight requests, flush, close logs. */
  close(): Promise<void>;
}

/**
 * Starts the embedded broker: locks the data dir (DataDirInUseError when another broker has
 * it), opens and recovers it, then listens.
 */
export async function startBroker(input: BrokerConfigInput, logger: (line: string) => void = () => {}): Promise<RunningBroker> {
  const config = brokerConfig(input);
  const lock = await DataDirLock.acquire(config.dataDir, {host: config.advertisedHost ?? config.host, port: config.port});
  let topics: TopicStore;
  let groups: GroupCoordinator;
  let producerIds: ProducerIdAllocator;
  try {
    topics = await TopicStore.open(config, logger);
    try {
      producerIds = ProducerIdAllocator.open(config.dataDir);
      groups = GroupCoordinator.open(config, logger);
    } catch (error) {
      await topics.close();
      throw error;
    }
  } catch (error) {
    lock.release();
    throw error;
  }
  const producers = new ProducerStateRegistry(logger);
  topics.cleaner.onMarkersRemoved = (log, markerOffsets) => producers.peek(log)?.txns.forgetMarkers(markerOffsets);
  const appended = new AppendSignal();
  let txns: TxnCoordinator;
  try {
    // Transactions a stop left half done are finished before any client can read or write.
    txns = TxnCoordinator.open(config.dataDir, config.fsync === 'always', {topics, producers, groups, producerIds, appended, logger});
    await txns.recover();
  } catch (error) {
    await groups.close();
    await topics.close();
    lock.release();
    throw error;
  }
  const credentials = CredentialStore.open(config.dataDir);
  for (const {user, password} of config.users) credentials.setPassword(user, password);
  const ctx: BrokerContext = {
    config,
    credentials,
    authorizer: Authorizer.open(config.dataDir, {enabled: config.acl, superUsers: config.superUsers}),
    topics,
    groups,
    producerIds,
    producers,
    txns,
    appended,
    advertised: {host: config.advertisedHost ?? config.host, port: config.port},
    logger,
    closing: false,
  };
  const handlers = createHandlers();
  let bound: {host: string; port: number};
  let server: KafkaServer;
  try {
    server = new KafkaServer({
      handlers,
      ctx,
      unsupported: (key, version, corr) => unsupportedResponse(handlers, key, version, corr),
      tls: config.tls ? tlsServerOptions(config.tls) : undefined,
      saslRequired: config.sasl !== undefined,
    });
    bound = await server.listen(config.port, config.host);
  } catch (error) {
    await txns.close();
    await groups.close();
    await topics.close();
    lock.release();
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new Error(`port ${config.port} on ${config.host} is already in use — pass --port 0 for any free port, or stop what uses it`);
    throw error;
  }
  const advertisedHost = config.advertisedHost ?? (bound.host === '0.0.0.0' || bound.host === '::' ? '127.0.0.1' : bound.host);
  ctx.advertised = {host: advertisedHost, port: bound.port};
  lock.updateAddress(ctx.advertised);

  const retention = setInterval(() => topics.enforceRetention(Date.now()), config.retentionCheckIntervalMs);
  retention.unref();
  const cleaner = setInterval(() => void topics.cleaner.runOnce(), config.logCleanerIntervalMs);
  cleaner.unref();
  const txnTimeouts = setInterval(() => {
    txns.abortExpired(Date.now()).catch((e: unknown) => logger(`aborting expired transactions failed: ${(e as Error).message}`));
  }, TXN_TIMEOUT_CHECK_MS);
  txnTimeouts.unref();

  let closing: Promise<void> | null = null;
  return {
    host: advertisedHost,
    port: bound.port,
    bootstrap: `${advertisedHost}:${bound.port}`,
    ctx,
    close() {
      closing ??= (async () => {
        clearInterval(retention);
        clearInterval(cleaner);
        clearInterval(txnTimeouts);
        ctx.closing = true;
        ctx.appended.notify();
        try {
          await server.close();
          await txns.close();
          await groups.close();
          await topics.flushAll();
          await topics.close();
        } finally {
          lock.release();
        }
      })();
      return closing;
    },
  };
}
