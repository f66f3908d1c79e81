import {mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';

/** What `kpat up` leaves behind so other commands can find the running broker. */
export interface StackState {
  pid: number;
  host: string;
  port: number;
  dataDir: string;
  logFile?: string;
  startedAt: string;
  fsync?: 'always' | 'never';
}

// Checked by hand rather than with a schema library: every command and the
// broker read this file at start-up, and this check is all they need of one.
const isInt = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isOptional = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || ok(v);

/** The state in a parsed state file, or null when it is not one (hand-edited, older, truncated). */
export function asStackState(value: unknown): StackState | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<keyof StackState, unknown>;
  const valid =
    isInt(v.pid, 1, Number.MAX_SAFE_INTEGER) &&
    typeof v.host === 'string' &&
    isInt(v.port, 1, 65535) &&
    typeof v.dataDir === 'string' &&
    isOptional(v.logFile, (f) => typeof f === 'string') &&
    typeof v.startedAt === 'string' &&
    isOptional(v.fsync, (f) => f === 'always' || f === 'never');
  if (!valid) return null;
  const state: StackState = {pid: v.pid as number, host: v.host as string, port: v.port as number, dataDir: v.dataDir as string, startedAt: v.startedAt as string};
  if (v.logFile !== undefined) state.logFile = v.logFile as string;
  if (v.fsync !== undefined) state.fsync = v.fsync as 'always' | 'never';
  return state;
}

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
    return asStackState(JSON.parse(text));
  } catch {
    return null;
  }
}

export function removeStackState(file: string): void {
  rmSync(file, {force: true});
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running stack, or null (a state file whose process is gone is stale: a crash or SIGKILL). */
export function readRunningStack(file: string): StackState | null {
  const state = readStackStateFile(file);
  return state && isProcessAlive(state.pid) ? state : null;
}
