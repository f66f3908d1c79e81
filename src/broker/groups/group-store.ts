import {closeSync, existsSync, fsync, fsyncSync, openSync, readFileSync, renameSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {z} from 'zod';
import {GroupCommit} from '../log/group-commit.js';

/**
 * Durable consumer group state: committed offsets and the metadata of each
 * group's current generation, as an append-only JSON-lines journal (the role
 * __consumer_offsets plays in Kafka). Replayed and compacted on open; appends
 * are fsynced with group commit before a commit or a rebalance is acknowledged.
 */
const FILE = 'consumer-groups.jsonl';

const MemberRecord = z.object({
  memberId: z.string(),
  groupInstanceId: z.string().nullable(),
  clientId: z.string(),
  clientHost: z.string(),
  sessionTimeoutMs: z.number(),
  rebalanceTimeoutMs: z.number(),
  protocols: z.array(z.object({name: z.string(), metadata: z.string()})),
  assignment: z.string(),
});

const Entry = z.discriminatedUnion('k', [
  z.object({
    k: z.literal('offset'),
    g: z.string(),
    t: z.string(),
    p: z.number(),
    o: z.number(),
    e: z.number(),
    m: z.string().nullable(),
    ts: z.number(),
  }),
  z.object({k: z.literal('topic-deleted'), t: z.string()}),
  z.object({
    k: z.literal('group'),
    g: z.string(),
    protocolType: z.string().nullable(),
    protocol: z.string().nullable(),
    generation: z.number(),
    leader: z.string().nullable(),
    members: z.array(MemberRecord),
  }),
  z.object({k: z.literal('group-deleted'), g: z.string()}),
]);

export type GroupStoreEntry = z.infer<typeof Entry>;
export type StoredMember = z.infer<typeof MemberRecord>;
export type StoredGroup = Extract<GroupStoreEntry, {k: 'group'}>;
export type StoredOffset = Extract<GroupStoreEntry, {k: 'offset'}>;

export interface LoadedState {
  groups: Map<string, StoredGroup>;
  /** group → "topic\u0000partition" → offset entry */
  offsets: Map<string, Map<string, StoredOffset>>;
}

export const offsetKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

function apply(state: LoadedState, entry: GroupStoreEntry): void {
  switch (entry.k) {
    case 'offset': {
      let group = state.offsets.get(entry.g);
      if (!group) state.offsets.set(entry.g, (group = new Map()));
      group.set(offsetKey(entry.t, entry.p), entry);
      break;
    }
    case 'topic-deleted':
      for (const group of state.offsets.values()) for (const [key, o] of group) if (o.t === entry.t) group.delete(key);
      break;
    case 'group':
      state.groups.set(entry.g, entry);
      break;
    case 'group-deleted':
      state.groups.delete(entry.g);
      state.offsets.delete(entry.g);
      break;
  }
}

export class GroupStore {
  private readonly commit: GroupCommit;
  private appendsSinceCompaction = 0;

  private constructor(
    private readonly path: string,
    private fd: number,
    private readonly durable: boolean,
  ) {
    this.commit = new GroupCommit(
      () =>
        new Promise<void>((resolve, reject) => {
          fsync(this.fd, (err) => (err ? reject(err) : resolve()));
        }),
    );
  }

  /** Replays the journal (a torn last line from a crash is dropped) and rewrites it compacted. */
  static open(dataDir: string, durable: boolean, logger: (line: string) => void): {store: GroupStore; state: LoadedState} {
    const path = join(dataDir, FILE);
    const state: LoadedState = {groups: new Map(), offsets: new Map()};
    if (existsSync(path)) {
      const lines = readFileSync(path, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        try {
          apply(state, Entry.parse(JSON.parse(line)));
        } catch {
          logger(`${FILE}: skipping unreadable line ${i + 1} (a write cut short by a crash)`);
        }
      });
    }
    GroupStore.writeSnapshot(path, state);
    const store = new GroupStore(path, openSync(path, 'a'), durable);
    return {store, state};
  }

  private static snapshotLines(state: LoadedState): string {
    const out: string[] = [];
    for (const g of state.groups.values()) out.push(JSON.stringify(g));
    for (const group of state.offsets.values()) for (const o of group.values()) out.push(JSON.stringify(o));
    return out.length > 0 ? out.join('\n') + '\n' : '';
  }

  private static writeSnapshot(path: string, state: LoadedState): void {
    const tmp = `${path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, GroupStore.snapshotLines(state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  }

  /** Appends entries; the returned promise resolves once they are durable. */
  append(entries: GroupStoreEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    writeSync(this.fd, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    this.appendsSinceCompaction += entries.length;
    this.commit.markWritten();
    return this.durable ? this.commit.flush() : Promise.resolve();
  }

  /** Rewrites the journal from the live state when it has grown long (offsets are committed often). */
  async maybeCompact(current: () => LoadedState): Promise<void> {
    if (this.appendsSinceCompaction < 100_000) return;
    this.appendsSinceCompaction = 0;
    await this.commit.idle();
    // No await from here on: no append can slip between closing the old file and opening the new one.
    closeSync(this.fd);
    GroupStore.writeSnapshot(this.path, current());
    this.fd = openSync(this.path, 'a');
  }

  async close(): Promise<void> {
    await this.commit.idle();
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}
