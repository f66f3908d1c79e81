import {mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {dataDirLockOwner} from '../broker/data-dir-lock.js';
import {isProcessAlive} from '../broker/process-identity.js';

/** What `kpat up` leaves behind so other commands can find the running broker. */
export interface StackState {
  pid: number;
  host: string;
  port: number;
  dataDir: string;
  logFile?: string;
  startedAt: string;
  fsync?: 'always' | 'never';
  /** The schema registry hosted beside the broker, when it hosts one. */
  registryUrl?: string;
  /** The Prometheus endpoint hosted beside the broker, when it hosts one. */
  metricsUrl?: string;
  /** A TLS listener: the CA clients trust (null: the user's own certificate, CA unknown). */
  tls?: StackTls;
  /** A SASL listener: its mechanisms, as Kafka names them (SCRAM-SHA-256 …). */
  sasl?: string[];
  /** ACLs are enforced. */
  acl?: boolean;
}

export interface StackTls {
  ca: string | null;
  /** Mutual TLS: kpat's own client certificate (from the local CA), when there is one. */
  clientCert?: string;
  clientKey?: string;
}

const isTls = (t: unknown): boolean => {
  if (typeof t !== 'object' || t === null) return false;
  const v = t as Record<string, unknown>;
  return (v.ca === null || typeof v.ca === 'string') && isOptional(v.clientCert, (c) => typeof c === 'string') && isOptional(v.clientKey, (c) => typeof c === 'string');
};

// kpat's own file (the broker writes it for the other kpat processes), checked by
// hand rather than with zod: every command reads it at start-up, and loading zod
// costs more than all the rest of a short command's own code.
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
    isOptional(v.fsync, (f) => f === 'always' || f === 'never') &&
    isOptional(v.registryUrl, (u) => typeof u === 'string') &&
    isOptional(v.metricsUrl, (u) => typeof u === 'string') &&
    isOptional(v.tls, isTls) &&
    isOptional(v.sasl, (m) => Array.isArray(m) && m.every((x) => typeof x === 'string')) &&
    isOptional(v.acl, (a) => typeof a === 'boolean');
  if (!valid) return null;
  const state: StackState = {pid: v.pid as number, host: v.host as string, port: v.port as number, dataDir: v.dataDir as string, startedAt: v.startedAt as string};
  if (v.logFile !== undefined) state.logFile = v.logFile as string;
  if (v.fsync !== undefined) state.fsync = v.fsync as 'always' | 'never';
  if (v.registryUrl !== undefined) state.registryUrl = v.registryUrl as string;
  if (v.metricsUrl !== undefined) state.metricsUrl = v.metricsUrl as string;
  if (v.tls !== undefined) state.tls = v.tls as StackTls;
  if (v.sasl !== undefined) state.sasl = v.sasl as string[];
  if (v.acl !== undefined) state.acl = v.acl as boolean;
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
