import {setTimeout as sleep} from 'node:timers/promises';
import {isProcessAlive} from '../broker/process-identity.js';
import type {StackPaths} from './paths.js';
import {probeApiVersions} from './probe.js';
import {isStackProcess, readStackStateFile, type StackState} from './state.js';

/**
 * What became of the stack `kpat up` started. `kpat up`, `kpat status` and `kpat down` all
 * decide with this one function, so they never disagree.
 * - running: the recorded process is alive, is that kpat broker, and answers ApiVersions.
 * - stopped: no state file (never started, or stopped cleanly: the broker removes it).
 * - crashed: a state file is left but its process is gone, or its pid now belongs to another
 *   program: the broker exited without stopping cleanly (SIGKILL, a crash, a machine reboot).
 * - unresponsive: it is that broker and alive, but did not answer within the wait.
 */
export type StackInspection =
  | {status: 'running'; state: StackState}
  | {status: 'stopped'}
  | {status: 'crashed'; state: StackState}
  | {status: 'unresponsive'; state: StackState};

/**
 * A broker that is starting or dying (killed but still finishing an fsync, or not yet reaped)
 * gets `waitMs` to answer or to go.
 */
export async function inspectStack(paths: StackPaths, opts: {waitMs?: number} = {}): Promise<StackInspection> {
  const state = readStackStateFile(paths.stateFile);
  if (!state) return {status: 'stopped'};
  const deadline = Date.now() + (opts.waitMs ?? 3000);
  for (;;) {
    if (!isStackProcess(state)) return {status: 'crashed', state};
    const left = deadline - Date.now();
    if (await probeApiVersions(state.host, state.port, Math.max(200, Math.min(1000, left)), state.tls)) return {status: 'running', state};
    if (Date.now() >= deadline) return isProcessAlive(state.pid) && isStackProcess(state) ? {status: 'unresponsive', state} : {status: 'crashed', state};
    await sleep(100);
  }
}
