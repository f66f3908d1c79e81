/**
 * The Prometheus endpoint hosted beside the broker, in the broker's process (like the schema
 * registry): cluster metrics under kafka_exporter's names and the broker's own `kpat_…` ones,
 * read from the broker's state in memory at scrape time.
 */
import {Registry} from 'prom-client';
import type {RunningBroker} from '../broker/broker.js';
import {startMetricsServer, type MetricsServer} from '../core/metrics-server.js';
import {registerBrokerMetrics} from './metrics/broker-metrics.js';
import {registerClusterMetrics} from './metrics/cluster-metrics.js';

export type HostedMetrics = MetricsServer;

/** Starts observing the broker and serving its metrics; close() stops both. */
export async function startMetricsBeside(broker: RunningBroker, opts: {host: string; port: number}): Promise<HostedMetrics> {
  const registry = new Registry();
  registerClusterMetrics(registry, broker.ctx);
  const observer = registerBrokerMetrics(registry, broker.ctx);
  broker.ctx.observer = observer;
  let server: MetricsServer;
  try {
    server = await startMetricsServer({contentType: registry.contentType, render: () => registry.metrics()}, opts);
  } catch (error) {
    broker.ctx.observer = undefined;
    throw error;
  }
  return {
    ...server,
    async close() {
      broker.ctx.observer = undefined;
      broker.ctx.topics.onFsync = () => {};
      await server.close();
    },
  };
}
