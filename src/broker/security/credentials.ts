/**
 * SCRAM credentials per user and mechanism, in `users.json` of the data dir:
 * salt, iterations, StoredKey and ServerKey (base64), never a password. Written
 * whole to a temp file and renamed, so a crash leaves the old or the new file.
 */
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {newCredential, SCRAM_MECHANISMS, type ScramCredential, type ScramMechanism} from './scram.js';

export const CREDENTIALS_FILE = 'users.json';

interface StoredCredential {
  salt: string;
  iterations: number;
  storedKey: string;
  serverKey: string;
}

type FileShape = {version: 1; users: Record<string, Partial<Record<ScramMechanism, StoredCredential>>>};

const toStored = (c: ScramCredential): StoredCredential => ({
  salt: c.salt.toString('base64'),
  iterations: c.iterations,
  storedKey: c.storedKey.toString('base64'),
  serverKey: c.serverKey.toString('base64'),
});
const fromStored = (c: StoredCredential): ScramCredential => ({
  salt: Buffer.from(c.salt, 'base64'),
  iterations: c.iterations,
  storedKey: Buffer.from(c.storedKey, 'base64'),
  serverKey: Buffer.from(c.serverKey, 'base64'),
});

export class CredentialStore {
  private users: FileShape['users'];
  /** Users of the broker's own process (the hosted registry): in memory only, never listed. */
  private readonly internal = new Map<string, Partial<Record<ScramMechanism, ScramCredential>>>();

  private constructor(private readonly file: string) {
    this.users = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FileShape).users : {};
  }

  static open(dataDir: string): CredentialStore {
    return new CredentialStore(join(dataDir, CREDENTIALS_FILE));
  }

  get(user: string, mechanism: ScramMechanism): ScramCredential | undefined {
    const internal = this.internal.get(user)?.[mechanism];
    if (internal) return internal;
    const stored = Object.hasOwn(this.users, user) ? this.users[user]![mechanism] : undefined;
    return stored ? fromStored(stored) : undefined;
  }

  /** Users and the mechanisms each has a credential for, sorted by name. */
  list(): Array<{user: string; mechanisms: Array<{mechanism: ScramMechanism; iterations: number}>}> {
    return Object.keys(this.users)
      .sort()
      .map((user) => ({
        user,
        mechanisms: SCRAM_MECHANISMS.filter((m) => this.users[user]![m]).map((m) => ({mechanism: m, iterations: this.users[user]![m]!.iterations})),
      }));
  }

  /** An in-memory user for a client inside the broker's process; gone when it stops. */
  addInternal(user: string, password: string): void {
    this.internal.set(user, Object.fromEntries(SCRAM_MECHANISMS.map((m) => [m, newCredential(m, password)])));
  }

  isInternal(user: string): boolean {
    return this.internal.has(user);
  }

  has(user: string): boolean {
    return Object.hasOwn(this.users, user);
  }

  upsert(user: string, mechanism: ScramMechanism, cred: ScramCredential): void {
    (this.users[user] ??= {})[mechanism] = toStored(cred);
    this.save();
  }

  /** A user with a password: credentials for both SCRAM mechanisms (PLAIN checks against them too). */
  setPassword(user: string, password: string): void {
    for (const m of SCRAM_MECHANISMS) (this.users[user] ??= {})[m] = toStored(newCredential(m, password));
    this.save();
  }

  /** Removes one mechanism's credential (the user goes with its last); false when there was none. */
  delete(user: string, mechanism: ScramMechanism): boolean {
    const creds = Object.hasOwn(this.users, user) ? this.users[user] : undefined;
    if (!creds?.[mechanism]) return false;
    delete creds[mechanism];
    if (Object.keys(creds).length === 0) delete this.users[user];
    this.save();
    return true;
  }

  private save(): void {
    mkdirSync(join(this.file, '..'), {recursive: true});
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({version: 1, users: this.users} satisfies FileShape, null, 2) + '\n', {mode: 0o600});
    renameSync(tmp, this.file);
  }
}

/** "alice:secret" → {user, password}; the password may contain ':'. */
export function parseUserSpec(spec: string): {user: string; password: string} | null {
  const colon = spec.indexOf(':');
  if (colon <= 0 || colon === spec.length - 1) return null;
  return {user: spec.slice(0, colon), password: spec.slice(colon + 1)};
}
