import {diskUsage} from '../stack/control.js';
import {stackPaths} from '../stack/paths.js';
import {readRunningStack} from '../stack/state.js';

export type StackStatus =
  | {running: false; home: string}
  | {
      running: true;
      home: string;
      bootstrap: string;
      pid: number;
      startedAt: string;
      uptimeMs: number;
      dataDir: string;
      logFile?: string;
      bytesOnDisk: number;
      topics: number;
      partitions: number;
      groups: number;
    };

/** The local stack as `kpat status` reports it: process facts plus what the broker itself says. */
export async function stackStatus(): Promise<StackStatus> {
  const paths = stackPaths();
  const state = readRunningStack(paths.stateFile);
  if (!state) return {running: false, home: paths.home};
  const bootstrap = `${state.host}:${state.port}`;
  // kafkajs only once there is a broker to ask: `kpat status` without a stack answers at once.
  const {withAdmin} = await import('./client.js');
  const conn = {brokers: [bootstrap], source: 'local-stack' as const, clientId: 'kpat-status'};
  const {topics, partitions, groups} = await withAdmin(conn, async (admin) => {
    const meta = await admin.fetchTopicMetadata();
    const listed = await admin.listGroups();
    return {
      topics: meta.topics.length,
      partitions: meta.topics.reduce((n, t) => n + t.partitions.length, 0),
      groups: listed.groups.length,
    };
  });
  return {
    running: true,
    home: paths.home,
    bootstrap,
    pid: state.pid,
    startedAt: state.startedAt,
    uptimeMs: Date.now() - Date.parse(state.startedAt),
    dataDir: state.dataDir,
    logFile: state.logFile,
    bytesOnDisk: diskUsage(state.dataDir),
    topics,
    partitions,
    groups,
  };
}
