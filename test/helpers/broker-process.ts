import {spawn, type ChildProcess} from 'node:child_process';
import {join} from 'node:path';
import {readStackStateFile} from '../../src/stack/state.js';
import {RUN_JS} from './cli.js';

export interface BrokerProcess {
  child: ChildProcess;
  bootstrap: string;
  port: number;
  /** Graceful stop (SIGTERM) and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit: a crash. */
  kill(): Promise<void>;
  /** What the broker wrote to stderr so far. */
  log(): string;
}

/**
 * `kpat broker start` in its own process (so it can be killed like a crash),
 * fsync=always as `kpat up` runs it. The state file tells where it listens.
 */
export async function spawnBrokerProcess(
  dir: string,
  opts: {port?: number; fsync?: 'always' | 'never'; /** Open-file limit of the process (prlimit). */ nofile?: number; args?: string[]} = {},
): Promise<BrokerProcess> {
  const stateFile = join(dir, 'stack.json');
  const node = [process.execPath, RUN_JS, 'broker', 'start', '--port', String(opts.port ?? 0), '--data-dir', join(dir, 'data'), '--state-file', stateFile, '--fsync', opts.fsync ?? 'always', ...(opts.args ?? [])];
  // prlimit execs the command, so the pid stays the broker's.
  const command = opts.nofile ? ['prlimit', `--nofile=${opts.nofile}:${opts.nofile}`, ...node] : node;
  const child = spawn(command[0]!, command.slice(1), {stdio: ['ignore', 'ignore', 'pipe']});
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const state = readStackStateFile(stateFile);
    if (state && state.pid === child.pid) {
      return {
        child,
        bootstrap: `${state.host}:${state.port}`,
        port: state.port,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
        async kill() {
          child.kill('SIGKILL');
          await exited;
        },
        log: () => log,
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`broker did not start:\n${log}`);
}
