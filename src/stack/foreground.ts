import {startBroker, type RunningBroker} from '../broker/broker.js';
import type {BrokerConfigInput} from '../broker/config.js';
import {DataDirInUseError} from '../broker/data-dir-lock.js';
import {OperationError} from '../core/errors.js';
import type {HostedMetrics} from './metrics-host.js';
import type {HostedRegistry} from './registry-host.js';
import {removeStackState, writeStackState, readStackStateFile} from './state.js';

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
  let broker: RunningBroker;
  try {
    broker = await startBroker(config, log);
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      throw new OperationError(`${error.message} — stop that broker first, or pass another --data-dir`);
    }
    throw error;
  }
  log(`listening on ${broker.bootstrap} (data: ${config.dataDir}, fsync: ${config.fsync ?? 'always'})`);
  let registry: HostedRegistry | undefined;
  if (registryHost && opts.registryPort !== undefined) {
    try {
      const {startRegistryBeside} = await registryHost;
      registry = await startRegistryBeside(broker, {host: config.host ?? broker.host, port: opts.registryPort, log});
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
