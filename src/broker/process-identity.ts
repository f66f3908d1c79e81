/**
 * Telling a live process from a dead one, and the process that wrote a pid down from a later
 * process that was given the same pid. On Linux /proc says both: the state letter (a zombie,
 * killed but not yet reaped by its parent, still answers kill(pid, 0)) and the start time in
 * clock ticks since boot, which together with the pid names one process for the life of the
 * machine. Elsewhere only kill(pid, 0) is available and the start time is unknown (null).
 */
import {readFileSync} from 'node:fs';

/** Fields of /proc/PID/stat after the command name (which may itself hold spaces and parens). */
function procStat(pid: number): string[] | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  return close < 0 ? null : text.slice(close + 2).split(' ');
}

const procAvailable = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/** Alive and not a zombie. EPERM from kill means it exists but belongs to another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!procAvailable) return true;
  const stat = procStat(pid);
  if (!stat) return false; // vanished between the two looks
  const state = stat[0];
  return state !== 'Z' && state !== 'X';
}

/** Start time of the process in clock ticks since boot (Linux), or null when unknown. */
export function processStartTicks(pid: number): string | null {
  return procStat(pid)?.[19] ?? null;
}

/**
 * Is `pid` the very process that recorded `startTicks` about itself? Without a recorded or
 * readable start time, a live pid is taken to be it (the cautious answer for a lock).
 */
export function isSameProcess(pid: number, startTicks: string | null | undefined): boolean {
  if (!isProcessAlive(pid)) return false;
  if (!startTicks) return true;
  const now = processStartTicks(pid);
  return now === null || now === startTicks;
}
