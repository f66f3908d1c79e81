import {z} from 'zod';
import {Journal} from '../journal.js';

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

function snapshotEntries(state: LoadedState): GroupStoreEntry[] {
  const out: GroupStoreEntry[] = [...state.groups.values()];
  for (const group of state.offsets.values()) out.push(...group.values());
  return out;
}

/** The group journal (consumer-groups.jsonl) and the state it replays to. */
export class GroupStore {
  private constructor(private readonly journal: Journal<GroupStoreEntry>) {}

  /** Replays the journal (a torn last line from a crash is dropped) and rewrites it compacted. */
  static open(dataDir: string, durable: boolean, logger: (line: string) => void): {store: GroupStore; state: LoadedState} {
    const state: LoadedState = {groups: new Map(), offsets: new Map()};
    const {journal} = Journal.open<GroupStoreEntry>({
      dataDir,
      file: FILE,
      durable,
      logger,
      parse: (raw) => Entry.parse(raw),
      compact: (entries) => {
        for (const entry of entries) apply(state, entry);
        return snapshotEntries(state);
      },
    });
    return {store: new GroupStore(journal), state};
  }

  /** Appends entries; the returned promise resolves once they are durable. */
  append(entries: GroupStoreEntry[]): Promise<void> {
    return this.journal.append(entries);
  }

  /** Rewrites the journal from the live state when it has grown long (offsets are committed often). */
  maybeCompact(current: () => LoadedState): Promise<void> {
    return this.journal.maybeCompact(() => snapshotEntries(current()));
  }

  close(): Promise<void> {
    return this.journal.close();
  }
}
