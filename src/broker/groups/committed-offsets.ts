import {ErrorCode} from '../protocol/errors.js';
import {newGroup, type CommittedOffset, type Group} from './group.js';
import {GroupStore, offsetKey, type GroupStoreEntry, type LoadedState, type StoredGroup} from './group-store.js';

export interface OffsetCommitItem {
  topic: string;
  partition: number;
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
}

const MAX_METADATA = 4096;

/**
 * The groups table and what makes it durable: committed offsets (commit, fetch, deletion with
 * their group or topic) and each group's generation, written to the group store before they are
 * acknowledged. Membership (membership.ts) shares the table and persists through this class.
 */
export class CommittedOffsets {
  readonly groups = new Map<string, Group>();

  constructor(
    private readonly store: GroupStore,
    private readonly logger: (line: string) => void,
  ) {}

  getOrCreate(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) this.groups.set(groupId, (group = newGroup(groupId)));
    return group;
  }

  /** Restores the committed offsets; the members and generations are membership's to restore. */
  restoreOffsets(state: LoadedState): void {
    for (const [groupId, offsets] of state.offsets) {
      const group = this.getOrCreate(groupId);
      for (const [key, o] of offsets) {
        group.offsets.set(key, {topic: o.t, partition: o.p, offset: o.o, leaderEpoch: o.e, metadata: o.m, commitTimestamp: o.ts});
      }
    }
  }

  groupEntry(group: Group): StoredGroup {
    return {
      k: 'group',
      g: group.groupId,
      protocolType: group.protocolType,
      protocol: group.protocol,
      generation: group.generation,
      leader: group.leader,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        sessionTimeoutMs: m.sessionTimeoutMs,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        protocols: m.protocols.map((p) => ({name: p.name, metadata: p.metadata.toString('base64')})),
        assignment: m.assignment.toString('base64'),
      })),
    };
  }

  /** For state changes nobody waits on: failures are logged, not thrown. */
  persistInBackground(entries: GroupStoreEntry[], what: string): void {
    this.persist(entries).catch((e: unknown) => this.logger(`persisting ${what} failed: ${(e as Error).message}`));
  }

  persist(entries: GroupStoreEntry[]): Promise<void> {
    const done = this.store.append(entries);
    void this.store.maybeCompact(() => this.snapshot()).catch((e: unknown) => this.logger(`compacting group state failed: ${(e as Error).message}`));
    return done;
  }

  private snapshot(): LoadedState {
    const state: LoadedState = {groups: new Map(), offsets: new Map()};
    for (const group of this.groups.values()) {
      state.groups.set(group.groupId, this.groupEntry(group));
      const offsets = new Map<string, Extract<GroupStoreEntry, {k: 'offset'}>>();
      for (const [key, o] of group.offsets) offsets.set(key, {k: 'offset', g: group.groupId, t: o.topic, p: o.partition, o: o.offset, e: o.leaderEpoch, m: o.metadata, ts: o.commitTimestamp});
      state.offsets.set(group.groupId, offsets);
    }
    return state;
  }

  /**
   * An Empty group with no committed offsets holds nothing worth keeping (a member
   * that never came back after MEMBER_ID_REQUIRED, a commit that was refused):
   * it goes, as Kafka's periodic group cleanup would remove it.
   */
  dropIfUnused(group: Group): void {
    if (group.state !== 'Empty' || group.members.size > 0 || group.pending.size > 0 || group.offsets.size > 0) return;
    if (this.groups.get(group.groupId) !== group) return;
    this.groups.delete(group.groupId);
    this.persistInBackground([{k: 'group-deleted', g: group.groupId}], `group ${group.groupId}`);
  }

  /** Stores offsets the group side has already accepted; per-item error codes once durable. */
  async commit(groupId: string, items: OffsetCommitItem[], partitionExists: (t: string, p: number) => boolean): Promise<number[]> {
    const group = this.getOrCreate(groupId);
    const now = Date.now();
    const entries: GroupStoreEntry[] = [];
    const codes = items.map((item) => {
      if (!partitionExists(item.topic, item.partition)) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      if (item.metadata !== null && item.metadata.length > MAX_METADATA) return ErrorCode.OFFSET_METADATA_TOO_LARGE;
      const committed: CommittedOffset = {offset: item.offset, leaderEpoch: item.leaderEpoch, metadata: item.metadata, commitTimestamp: now};
      group.offsets.set(offsetKey(item.topic, item.partition), {...committed, topic: item.topic, partition: item.partition});
      entries.push({k: 'offset', g: groupId, t: item.topic, p: item.partition, o: item.offset, e: item.leaderEpoch, m: item.metadata, ts: now});
      return ErrorCode.NONE;
    });
    this.dropIfUnused(group);
    await this.persist(entries);
    return codes;
  }

  /** Committed offsets of a group: all of them, or for the given partitions (missing → null). */
  committed(groupId: string, wanted: Array<{topic: string; partition: number}> | null): Array<{topic: string; partition: number; committed: CommittedOffset | null}> {
    const group = this.groups.get(groupId);
    if (wanted === null) {
      return [...(group?.offsets.values() ?? [])].map((o) => ({topic: o.topic, partition: o.partition, committed: o}));
    }
    return wanted.map(({topic, partition}) => ({topic, partition, committed: group?.offsets.get(offsetKey(topic, partition)) ?? null}));
  }

  async deleteGroup(groupId: string): Promise<number> {
    const group = this.groups.get(groupId);
    if (!group || group.state === 'Dead') return ErrorCode.GROUP_ID_NOT_FOUND;
    if (group.members.size > 0 || group.state !== 'Empty') return ErrorCode.NON_EMPTY_GROUP;
    group.state = 'Dead';
    this.groups.delete(groupId);
    await this.persist([{k: 'group-deleted', g: groupId}]);
    this.logger(`deleted group ${groupId}`);
    return ErrorCode.NONE;
  }

  /** Offsets of a deleted topic go away, as in Kafka. */
  topicDeleted(topic: string): void {
    let any = false;
    for (const group of this.groups.values()) {
      for (const [key, o] of group.offsets) {
        if (o.topic === topic) {
          group.offsets.delete(key);
          any = true;
        }
      }
    }
    if (any) this.persistInBackground([{k: 'topic-deleted', t: topic}], `the deletion of ${topic}`);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
