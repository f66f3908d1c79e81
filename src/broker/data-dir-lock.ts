/**
 * One broker per data dir. Two brokers appending to the same segment files interleave their
 * batches and lose acknowledged writes, so a broker takes this lock before it reads anything
 * in its data dir and keeps it until it has closed every file.
 *
 * Node has no flock(), so the lock is a file, `kpat.lock`, created with O_EXCL (exactly one
 * creator wins, also across processes) and holding who owns it: pid, process start time,
 * host name and the address the broker listens on. A crash or SIGKILL leaves the file behind;
 * it is stale when its owner is provably gone: on this host, its pid is dead (zombies count as
 * dead) or now belongs to a process that started at another time (pid reuse; see
 * process-identity.ts). A lock written on another host, or whose owner cannot be checked, is
 * respected.
 *
 * Taking over a stale lock must not race with another broker doing the same (both see the
 * stale file, one removes it and creates its own, the other would then remove that fresh
 * one). So a takeover first creates `kpat.lock.takeover` with O_EXCL, re-reads the lock and
 * removes it only if it is still the same stale one. A takeover file left by a crash in that
 * instant is removed once it is older than a few seconds.
 */
import {randomUUID} from 'node:crypto';
import {closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {isSameProcess, processStartTicks} from './process-identity.js';

export const LOCK_FILE = 'kpat.lock';
const TAKEOVER_FILE = `${LOCK_FILE}.takeover`;
// A lock file younger than this with no readable content is being written by its creator.
const WRITE_GRACE_MS = 2000;
const TAKEOVER_STALE_MS = 5000;

export interface LockOwner {
  pid: number;
  /** The process's start time in clock ticks (Linux), so a reused pid is told apart; null where unknown. */
  startTicks: string | null;
  hostname: string;
  host: string;
  port: number;
  token: string;
}

// Checked by hand rather than with zod: `kpat status` and `kpat up` read the lock at
// start-up, and loading zod would cost more than the rest of their own code.
function asLockOwner(value: unknown): LockOwner | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<keyof LockOwner, unknown>;
  const ok =
    Number.isInteger(v.pid) && (v.pid as number) > 0 &&
    (v.startTicks === null || typeof v.startTicks === 'string') &&
    typeof v.hostname === 'string' && typeof v.host === 'string' &&
    Number.isInteger(v.port) && typeof v.token === 'string';
  return ok ? {pid: v.pid as number, startTicks: v.startTicks as string | null, hostname: v.hostname as string, host: v.host as string, port: v.port as number, token: v.token as string} : null;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(`data dir ${dataDir} is in use by pid ${owner.pid} (kpat broker at ${owner.host}:${owner.port})`);
    this.name = 'DataDirInUseError';
  }
}

export class DataDirLock {
  private released = false;

  private constructor(
    readonly dataDir: string,
    private owner: LockOwner,
  ) {}

  /** Takes the lock of `dataDir` (creating the folder) or throws DataDirInUseError. */
  static async acquire(dataDir: string, address: {host: string; port: number}): Promise<DataDirLock> {
    mkdirSync(dataDir, {recursive: true});
    const owner: LockOwner = {
      pid: process.pid,
      startTicks: processStartTicks(process.pid),
      hostname: hostname(),
      host: address.host,
      port: address.port,
      token: randomUUID(),
    };
    const path = join(dataDir, LOCK_FILE);
    for (;;) {
      if (tryCreate(path, owner)) return new DataDirLock(dataDir, owner);
      const holder = readLockFile(path);
      if (holder === 'absent') continue; // released meanwhile: try again
      if (holder === 'unreadable') {
        if (ageMs(path) < WRITE_GRACE_MS) {
          await sleep(20);
          continue;
        }
      } else if (!isStale(holder)) {
        throw new DataDirInUseError(dataDir, holder);
      }
      await removeStaleLock(dataDir, holder === 'unreadable' ? null : holder.token);
    }
  }

  /** Records the address the broker actually listens on (port 0 resolved), for the message above. */
  updateAddress(address: {host: string; port: number}): void {
    if (this.released) return;
    this.owner = {...this.owner, host: address.host, port: address.port};
    const path = join(this.dataDir, LOCK_FILE);
    const tmp = `${path}.${this.owner.token}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.owner) + '\n');
    renameSync(tmp, path); // atomic: the lock file exists throughout
  }

  /** Removes the lock file if it is still ours. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const path = join(this.dataDir, LOCK_FILE);
    const holder = readLockFile(path);
    if (typeof holder === 'object' && holder.token === this.owner.token) rmSync(path, {force: true});
  }
}

function tryCreate(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(owner) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readLockFile(path: string): LockOwner | 'absent' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  try {
    return asLockOwner(JSON.parse(text)) ?? 'unreadable';
  } catch {
    return 'unreadable';
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function isStale(holder: LockOwner): boolean {
  if (holder.hostname !== hostname()) return false;
  return !isSameProcess(holder.pid, holder.startTicks);
}

/** The current holder of the lock in `dataDir`, if the lock is held (not stale). */
export function dataDirLockOwner(dataDir: string): LockOwner | null {
  const holder = readLockFile(join(dataDir, LOCK_FILE));
  return typeof holder === 'object' && !isStale(holder) ? holder : null;
}

/** Removes the lock file if it still is the stale one we judged (token, or null for unreadable). */
async function removeStaleLock(dataDir: string, staleToken: string | null): Promise<void> {
  const takeover = join(dataDir, TAKEOVER_FILE);
  let fd: number;
  try {
    fd = openSync(takeover, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (ageMs(takeover) > TAKEOVER_STALE_MS) rmSync(takeover, {force: true});
    else await sleep(20);
    return; // another broker is taking over: look at the lock again
  }
  closeSync(fd);
  try {
    const path = join(dataDir, LOCK_FILE);
    const now = readLockFile(path);
    const same = now === 'unreadable' ? staleToken === null : typeof now === 'object' && now.token === staleToken;
    if (same) rmSync(path, {force: true});
  } finally {
    rmSync(takeover, {force: true});
  }
}
