import {diskUsage} from '../stack/control.js';
import {stackPaths} from '../stack/paths.js';
import {inspectStack} from '../stack/inspect.js';
import type {StackState} from '../stack/state.js';
import {OperationError} from '../core/errors.js';

export type StackStatus =
  | {running: false; home: string; /** Pid of a broker that exited without stopping cleanly. */ crashedPid?: number}
  | {
      running: true;
      home: string;
      bootstrap: string;
      /** The schema registry's URL; null when the stack hosts none. */
      registry: string | null;
      /** The Prometheus endpoint's URL; null when the stack serves none. */
      metrics: string | null;
      pid: number;
      startedAt: string;
      uptimeMs: number;
      dataDir: string;
      logFile?: string;
      bytesOnDisk: number;
      /** A TLS listener: the CA file clients trust (null: the user's own certificate). */
      tls: {ca: string | null} | null;
      /** A SASL listener's mechanisms. */
      sasl: string[] | null;
      /** Null on a SASL stack when no credentials are set (KPAT_SASL_MECHANISM, _USERNAME, _PASSWORD). */
      topics: number | null;
      partitions: number | null;
      groups: number | null;
    };

/** The local stack as `kpat status` reports it: process facts plus what the broker itself says. */
export async function stackStatus(): Promise<StackStatus> {
  const paths = stackPaths();
  const found = await inspectStack(paths);
  if (found.status === 'stopped') return {running: false, home: paths.home};
  if (found.status === 'crashed') return {running: false, home: paths.home, crashedPid: found.state.pid};
  const {state} = found;
  if (found.status === 'unresponsive') {
    throw new OperationError(`the kpat broker pid ${state.pid} at ${state.host}:${state.port} is alive but not answering — \`kpat down\` stops it`);
  }
  const bootstrap = `${state.host}:${state.port}`;
  const counts = state.sasl && !process.env.KPAT_SASL_USERNAME ? {topics: null, partitions: null, groups: null} : await brokerCounts(state);
  return {
    running: true,
    home: paths.home,
    bootstrap,
    registry: state.registryUrl ?? null,
    metrics: state.metricsUrl ?? null,
    pid: state.pid,
    startedAt: state.startedAt,
    uptimeMs: Date.now() - Date.parse(state.startedAt),
    dataDir: state.dataDir,
    logFile: state.logFile,
    bytesOnDisk: diskUsage(state.dataDir),
    tls: state.tls ? {ca: state.tls.ca} : null,
    sasl: state.sasl ?? null,
    ...counts,
  };
}

/** What the broker itself says, asked as any client would (with the stack's TLS and the user's SASL settings). */
async function brokerCounts(state: StackState): Promise<{topics: number; partitions: number; groups: number}> {
  // kafkajs only once there is a broker to ask: `kpat status` without a stack answers at once.
  const [{withAdmin}, {resolveConnection}] = await Promise.all([import('./client.js'), import('./connection.js')]);
  const local = state.tls || state.sasl ? await resolveConnection({}, {cwd: '/nonexistent'}) : null;
  const conn = {...(local ?? {}), brokers: [`${state.host}:${state.port}`], source: 'local-stack' as const, clientId: 'kpat-status'};
  return withAdmin(conn, async (admin) => {
    const meta = await admin.fetchTopicMetadata();
    const listed = await admin.listGroups();
    return {
      topics: meta.topics.length,
      partitions: meta.topics.reduce((n, t) => n + t.partitions.length, 0),
      groups: listed.groups.length,
    };
  });
}
