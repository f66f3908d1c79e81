import {mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {z} from 'zod';
import {dataDirLockOwner} from '../broker/data-dir-lock.js';
import {isProcessAlive} from '../broker/process-identity.js';

/** What `kpat up` leaves behind so other commands can find the running broker. */
export const StackStateSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  port: z.number().int().min(1).max(65535),
  dataDir: z.string(),
  logFile: z.string().optional(),
  startedAt: z.string(),
  fsync: z.enum(['always', 'never']).optional(),
});

export type StackState = z.infer<typeof StackStateSchema>;

export function writeStackState(file: string, state: StackState): void {
  mkdirSync(dirname(file), {recursive: true});
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, file);
}

/** The recorded state, whether or not its process still lives; null when absent or unreadable. */
export function readStackStateFile(file: string): StackState | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = StackStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function removeStackState(file: string): void {
  rmSync(file, {force: true});
}

/**
 * Is the process the state file names the kpat broker it recorded? Alive (a zombie is not), and
 * the holder of its data dir's lock, which names the broker's pid and start time, so a pid
 * reused by another program after a crash does not pass for the broker.
 */
export function isStackProcess(state: StackState): boolean {
  if (!isProcessAlive(state.pid)) return false;
  return dataDirLockOwner(state.dataDir)?.pid === state.pid;
}

/** The running stack by its state file and process, or null (a crash, SIGKILL, or a reused pid). */
export function readRunningStack(file: string): StackState | null {
  const state = readStackStateFile(file);
  return state && isStackProcess(state) ? state : null;
}
