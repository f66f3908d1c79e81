import {mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {z} from 'zod';

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
