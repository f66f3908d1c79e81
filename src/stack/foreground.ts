import {randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {startBroker, type RunningBroker} from '../broker/broker.js';
import type {BrokerConfigInput} from '../broker/config.js';
import {DataDirInUseError} from '../broker/data-dir-lock.js';
import {OperationError} from '../core/errors.js';
import type {HostedMetrics} from './metrics-host.js';
import type {HostedRegistry} from './registry-host.js';
import {removeStackState, writeStackState, readStackStateFile, type StackTls} from './state.js';
import {usesLocalTls} from './broker-options.js';
import {stackPaths} from './paths.js';
import {localTlsPaths} from './tls-paths.js';
import type {WireSecurity} from './broker-wire.js';

export function timestampedLogger(write: (line: string) => void): (line: string) => void {
  return (line) => write(`${new Date().toISOString()} ${line}\n`);
}

/**
 * Runs the broker (and, given a registry port, the schema registry beside it)
 * until SIGTERM/SIGINT, then stops both gracefully. With a state file (as `kpat
 * up` passes), records where they listen and removes it on exit.
 */
export async function runBrokerInForeground(
  config: BrokerConfigInput,
  opts: {stateFile?: string; logFile?: string; registryPort?: number; metricsPort?: number; onListening?: (b: RunningBroker, registry?: HostedRegistry, metrics?: HostedMetrics) => void},
): Promise<void> {
  const log = timestampedLogger((l) => process.stderr.write(l));
  // The registry's code (avsc) loads while the broker opens its logs, and not at all without a registry.
  const registryHost = opts.registryPort === undefined ? undefined : import('./registry-host.js');
  registryHost?.catch(() => {}); // awaited below; not unhandled if the broker fails first
  const metricsHost = opts.metricsPort === undefined ? undefined : import('./metrics-host.js');
  metricsHost?.catch(() => {});
  const localTls = usesLocalTls(config);
  if (localTls) {
    // node-forge loads only for a TLS stack, and the CA only once: clients keep trusting it.
    const {ensureLocalTls} = await import('./tls-files.js');
    ensureLocalTls(stackPaths().home, [config.advertisedHost, config.host].filter((h): h is string => Boolean(h)));
  }
  let broker: RunningBroker;
  try {
    broker = await startBroker(config, log);
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      throw new OperationError(`${error.message} — stop that broker first, or pass another --data-dir`);
    }
    throw error;
  }
  const tlsState = stackTls(config, localTls);
  const security = [tlsState ? 'TLS' : null, config.sasl ? `SASL ${config.sasl.mechanisms.join('/')}` : null].filter(Boolean).join(', ');
  log(`listening on ${broker.bootstrap} (data: ${config.dataDir}, fsync: ${config.fsync ?? 'always'}${security ? `, ${security}` : ''})`);
  if (tlsState?.ca) log(`TLS: clients trust the CA in ${tlsState.ca}`);
  let registry: HostedRegistry | undefined;
  if (registryHost && opts.registryPort !== undefined) {
    try {
      const {startRegistryBeside} = await registryHost;
      registry = await startRegistryBeside(broker, {host: config.host ?? broker.host, port: opts.registryPort, log, security: registrySecurity(broker, config, tlsState)});
    } catch (error) {
      await broker.close();
      throw new OperationError(`could not start the schema registry: ${(error as Error).message}`);
    }
    log(`schema registry listening on ${registry.url}`);
  }
  let metrics: HostedMetrics | undefined;
  if (metricsHost && opts.metricsPort !== undefined) {
    try {
      const {startMetricsBeside} = await metricsHost;
      metrics = await startMetricsBeside(broker, {host: config.host ?? broker.host, port: opts.metricsPort});
    } catch (error) {
      await registry?.close();
      await broker.close();
      throw new OperationError(`could not start the metrics endpoint: ${(error as Error).message}`);
    }
    log(`Prometheus metrics at ${metrics.url}`);
  }
  if (opts.stateFile) {
    writeStackState(opts.stateFile, {
      pid: process.pid,
      host: broker.host,
      port: broker.port,
      dataDir: config.dataDir,
      logFile: opts.logFile,
      startedAt: new Date().toISOString(),
      fsync: config.fsync,
      ...(registry ? {registryUrl: registry.url} : {}),
      ...(metrics ? {metricsUrl: metrics.url} : {}),
      ...(tlsState ? {tls: tlsState} : {}),
      ...(config.sasl ? {sasl: config.sasl.mechanisms} : {}),
      ...(config.acl ? {acl: true} : {}),
    });
  }
  opts.onListening?.(broker, registry, metrics);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: stopping (finishing in-flight requests, flushing)`);
      (metrics?.close() ?? Promise.resolve())
        .then(() => registry?.close())
        .catch((error: unknown) => log(`error while stopping the schema registry: ${(error as Error).message}`))
        .then(() => broker.close())
        .catch((error: unknown) => log(`error while stopping: ${(error as Error).message}`))
        .finally(() => {
          if (opts.stateFile && readStackStateFile(opts.stateFile)?.pid === process.pid) removeStackState(opts.stateFile);
          log('stopped');
          resolve();
        });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/** What clients need to know of the TLS listener: the CA to trust, kpat's client certificate for mutual TLS. */
function stackTls(config: BrokerConfigInput, localTls: boolean): StackTls | undefined {
  if (!config.tls) return undefined;
  if (!localTls) return {ca: config.tls.caFile ?? null};
  const local = localTlsPaths(stackPaths().home);
  return {ca: local.ca, ...(config.tls.clientAuth === 'required' ? {clientCert: local.clientCert, clientKey: local.clientKey} : {})};
}

/**
 * How the hosted registry reaches its own broker: over the same listener as any
 * client, as an in-memory user with a fresh random password when SASL is on.
 */
function registrySecurity(broker: RunningBroker, config: BrokerConfigInput, tls: StackTls | undefined): WireSecurity {
  const security: WireSecurity = {};
  if (tls) {
    // Its own listener, named by the address it advertises: the certificate is ours.
    security.tls = {rejectUnauthorized: false, ...(tls.clientCert && tls.clientKey ? {cert: readFileSync(tls.clientCert), key: readFileSync(tls.clientKey)} : {})};
  }
  if (config.sasl) {
    const password = randomBytes(24).toString('base64');
    broker.ctx.credentials.addInternal(REGISTRY_USER, password);
    const mechanism = config.sasl.mechanisms.find((m) => m !== 'PLAIN') ?? 'PLAIN';
    security.sasl = {mechanism, username: REGISTRY_USER, password};
  }
  return security;
}

/** The hosted registry's principal (User:kpat-registry): authorized like a super user. */
export const REGISTRY_USER = 'kpat-registry';
