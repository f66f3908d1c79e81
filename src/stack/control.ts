import {spawn} from 'node:child_process';
import {setTimeout as sleep} from 'node:timers/promises';
import {closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, type Dirent} from 'node:fs';
import {join, resolve} from 'node:path';
import {findBrokerJs} from './bin.js';
import {stackPaths, type StackPaths} from './paths.js';
import {isProcessAlive} from '../broker/process-identity.js';
import {inspectStack} from './inspect.js';
import {readStackStateFile, removeStackState, type StackState} from './state.js';
import {probeApiVersions} from './probe.js';
import {CredentialStore} from '../broker/security/credentials.js';

export {findRunJs} from './bin.js';

export interface UpOptions {
  host: string;
  port: number;
  dataDir?: string;
  fsync: 'always' | 'never';
  autoCreateTopics?: boolean;
  defaultPartitions?: number;
  maxOpenLogFiles?: number;
  /** The schema registry's port (0 = any free port). */
  registryPort: number;
  /** The Prometheus endpoint's port (0 = any free port). */
  metricsPort: number;
  advertisedHost?: string;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  tlsClientAuth?: 'none' | 'required';
  /** SASL mechanisms (plain, scram-sha-256, scram-sha-512). */
  sasl?: string[];
  /** Users to (re)create before the broker starts: written salted into the data dir, never passed to the broker process. */
  users?: Array<{user: string; password: string}>;
  acl?: boolean;
  superUsers?: string[];
  timeoutMs?: number;
}

export type UpResult = {state: StackState; alreadyRunning: boolean; replacedCrashed?: number};

/** `kpat broker start` flags for a broker started by `kpat up`: every flag up accepts acts. */
export function brokerArgs(opts: UpOptions, dataDir: string, paths: StackPaths): string[] {
  return [
    '--host', opts.host,
    '--port', String(opts.port),
    '--data-dir', dataDir,
    '--fsync', opts.fsync,
    '--registry-port', String(opts.registryPort),
    '--metrics-port', String(opts.metricsPort),
    ...(opts.autoCreateTopics === false ? ['--no-auto-create-topics'] : []),
    ...(opts.defaultPartitions === undefined ? [] : ['--default-partitions', String(opts.defaultPartitions)]),
    ...(opts.maxOpenLogFiles === undefined ? [] : ['--max-open-log-files', String(opts.maxOpenLogFiles)]),
    ...(opts.advertisedHost ? ['--advertised-host', opts.advertisedHost] : []),
    ...(opts.tls ? ['--tls'] : []),
    ...(opts.tlsCert ? ['--tls-cert', resolve(opts.tlsCert)] : []),
    ...(opts.tlsKey ? ['--tls-key', resolve(opts.tlsKey)] : []),
    ...(opts.tlsCa ? ['--tls-ca', resolve(opts.tlsCa)] : []),
    ...(opts.tlsClientAuth && opts.tlsClientAuth !== 'none' ? ['--tls-client-auth', opts.tlsClientAuth] : []),
    ...(opts.sasl ?? []).flatMap((m) => ['--sasl', m]),
    ...(opts.acl ? ['--acl'] : []),
    ...(opts.superUsers ?? []).flatMap((p) => ['--super-user', p]),
    '--state-file', paths.stateFile,
    '--log-file', paths.logFile,
  ];
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}


/**
 * Starts the broker (and the schema registry beside it) detached in the background
 * and returns once the broker answers a real ApiVersions request; the broker
 * records its state only once the registry listens too. If one is running already, returns it untouched.
 */
export async function stackUp(opts: UpOptions, paths: StackPaths = stackPaths()): Promise<UpResult> {
  const found = await inspectStack(paths);
  if (found.status === 'running') return {state: found.state, alreadyRunning: true};
  if (found.status === 'unresponsive') {
    throw new Error(`the kpat broker pid ${found.state.pid} at ${found.state.host}:${found.state.port} is alive but not answering — \`kpat down\` stops it`);
  }

  mkdirSync(paths.home, {recursive: true});
  const dataDir = resolve(opts.dataDir ?? paths.defaultDataDir);
  if (opts.users && opts.users.length > 0) {
    const store = CredentialStore.open(dataDir);
    for (const {user, password} of opts.users) store.setPassword(user, password);
  }
  const logFd = openSync(paths.logFile, 'a');
  const args = [findBrokerJs(), 'broker', 'start', ...brokerArgs(opts, dataDir, paths)];
  const child = spawn(process.execPath, args, {detached: true, stdio: ['ignore', logFd, logFd], env: process.env});
  closeSync(logFd);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? 1;
  });
  child.unref();

  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new Error(`the broker exited with code ${exited} while starting:\n${tail(paths.logFile)}`);
    }
    const state = readStackStateFile(paths.stateFile);
    if (state && state.pid === child.pid && (await probeApiVersions(state.host, state.port, undefined, state.tls))) {
      return {state, alreadyRunning: false, ...(found.status === 'crashed' ? {replacedCrashed: found.state.pid} : {})};
    }
    // The broker writes its state file once it listens: a short poll answers `kpat up` soon after.
    await sleep(10);
  }
  if (child.pid) process.kill(child.pid, 'SIGKILL');
  throw new Error(`the broker did not answer within ${(opts.timeoutMs ?? 20_000) / 1000}s; its log (${paths.logFile}):\n${tail(paths.logFile)}`);
}

export interface DownResult {
  stopped: StackState | null;
  purged: string | null;
}

/** SIGTERM and wait for a graceful exit (SIGKILL after the timeout); optionally delete the data. */
export async function stackDown(opts: {purge: boolean; timeoutMs?: number}, paths: StackPaths = stackPaths()): Promise<DownResult> {
  const found = await inspectStack(paths, {waitMs: 0});
  // Only the broker itself is signalled: after a crash its pid may belong to another program.
  const state = found.status === 'running' || found.status === 'unresponsive' ? found.state : null;
  const dataDir = found.status === 'stopped' ? paths.defaultDataDir : found.state.dataDir;
  if (state) {
    process.kill(state.pid, 'SIGTERM');
    const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
    while (isProcessAlive(state.pid) && Date.now() < deadline) await sleep(50);
    if (isProcessAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
  }
  removeStackState(paths.stateFile);
  let purged: string | null = null;
  if (opts.purge && existsSync(dataDir)) {
    rmSync(dataDir, {recursive: true, force: true});
    purged = dataDir;
  }
  return {stopped: state, purged};
}

/** Bytes used by the files under a folder. */
export function diskUsage(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, {withFileTypes: true});
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        try {
          total += statSync(p).size;
        } catch {
          // removed meanwhile
        }
      }
    }
  };
  walk(dir);
  return total;
}
