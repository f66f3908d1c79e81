/**
 * A fault-injecting Kafka proxy: listens locally, forwards to a cluster, and stands in for
 * every broker the cluster advertises (one local listener per broker, started when a Metadata
 * or FindCoordinator response first names it), so a client that bootstraps through it stays
 * on it. Faults (dropped responses, delays, cut connections, pauses) follow a plan that can
 * change while it runs, decided by dice seeded with `seed`.
 */
import {createServer, type Server, type Socket} from 'node:net';
import {EventStream, type Subscribable} from '../../core/event-stream.js';
import {ConfigError} from '../../core/errors.js';
import type {BrokerAddress} from '../../broker/protocol/broker-addresses.js';
import {ProxiedConnection, type ProxyContext} from './connection.js';
import {emptyStats, type ProxyEvent, type ProxyStats} from './events.js';
import {FaultDice, checkFaultPlan, type FaultPlan} from './fault-plan.js';
import {PauseGate} from './pause-gate.js';

export type {FaultKind, ProxyEvent, ProxyStats} from './events.js';
export {DEFAULT_DROP_API_KEYS, type FaultPlan} from './fault-plan.js';
export {apiKeyOf, apiName} from './api-names.js';

export interface FaultProxyOptions {
  /** The cluster's bootstrap broker, host:port. */
  target: string;
  /** Where the proxy listens and what it advertises to clients; default 127.0.0.1. */
  host?: string;
  /** The bootstrap listener's port; default 0 (any free port). Broker listeners take free ports. */
  port?: number;
  seed: number;
  plan?: FaultPlan;
}

export interface FaultProxy {
  /** host:port for clients' bootstrap list. */
  readonly bootstrap: string;
  readonly events: Subscribable<ProxyEvent>;
  stats(): ProxyStats;
  /** Replaces the plan; unpausing releases the traffic held meanwhile. */
  setPlan(plan: FaultPlan): void;
  /** Closes every client connection now. */
  cutAll(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = parseHostPort(opts.target);
  const host = opts.host ?? '127.0.0.1';
  let plan: FaultPlan = opts.plan ?? {};
  checkFaultPlan(plan);
  const events = new EventStream<ProxyEvent>();
  const stats = emptyStats();
  const gate = new PauseGate();
  gate.set(Boolean(plan.paused));
  const dice = new FaultDice(opts.seed);
  const connections = new Set<ProxiedConnection>();
  const servers: Server[] = [];
  /** Upstream host:port → the local address standing in for it. */
  const standIns = new Map<string, Promise<{host: string; port: number}>>();
  let nextConnection = 1;
  let closing = false;

  const ctx: ProxyContext = {
    stats,
    gate,
    emit: (event) => events.emit(event),
    roll: (apiKey) => dice.roll(apiKey, plan),
    addressFor: (broker) => standInFor(broker),
  };

  async function listen(upstream: {host: string; port: number}, port: number): Promise<{host: string; port: number}> {
    const server = createServer((socket: Socket) => {
      if (closing) return void socket.destroy();
      const conn = new ProxiedConnection(nextConnection++, socket, upstream, ctx, (c) => connections.delete(c));
      connections.add(conn);
    });
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = server.address();
    return {host, port: typeof bound === 'object' && bound ? bound.port : port};
  }

  function standInFor(broker: BrokerAddress): Promise<{host: string; port: number}> {
    const key = `${broker.host}:${broker.port}`;
    let standIn = standIns.get(key);
    if (!standIn) {
      standIn = listen({host: broker.host, port: broker.port}, 0);
      standIns.set(key, standIn);
      standIn.then(
        (address) => events.emit({type: 'broker-listener', nodeId: broker.nodeId, upstream: key, address: `${address.host}:${address.port}`}),
        // The response that asked fails and closes its connection; the next one tries again.
        () => standIns.delete(key),
      );
    }
    return standIn;
  }

  let bootstrap: {host: string; port: number};
  try {
    bootstrap = await listen(target, opts.port ?? 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError(`port ${opts.port} on ${host} is taken — pick another --port, or 0 for any free one`);
    throw error;
  }
  // The bootstrap broker itself, when the cluster advertises it under the same address.
  standIns.set(`${target.host}:${target.port}`, Promise.resolve(bootstrap));

  return {
    bootstrap: `${bootstrap.host}:${bootstrap.port}`,
    events,
    stats: () => structuredClone(stats),
    setPlan(next) {
      checkFaultPlan(next);
      plan = next;
      gate.set(Boolean(next.paused));
    },
    cutAll() {
      for (const conn of [...connections]) conn.cut(null);
    },
    async close() {
      closing = true;
      gate.set(false);
      for (const conn of [...connections]) conn.close();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

/** "host:port" (IPv6 hosts in brackets) or ConfigError naming the fix. */
export function parseHostPort(text: string): {host: string; port: number} {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65535) throw new ConfigError(`"${text}" is not a broker address — use host:port, e.g. 127.0.0.1:9092`);
  return {host: (match[1] ?? match[2])!, port};
}
