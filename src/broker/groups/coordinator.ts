import type {BrokerConfig} from '../config.js';
import {ErrorCode} from '../protocol/errors.js';
import {CommittedOffsets, type OffsetCommitItem} from './committed-offsets.js';
import type {CommittedOffset, JoinResult, SyncResult} from './group.js';
import {GroupStore} from './group-store.js';
import {GroupMembership, type GroupSummary, type JoinRequest} from './membership.js';

export type {OffsetCommitItem} from './committed-offsets.js';
export type {GroupSummary, JoinRequest} from './membership.js';

/**
 * The consumer group coordinator the API handlers talk to. Membership and rebalances live in
 * membership.ts, committed offsets and durability in committed-offsets.ts; both share one groups
 * table. Committed offsets and each group's current generation are persisted before they are
 * acknowledged. All state lives on the one event loop.
 */
export class GroupCoordinator {
  private constructor(
    private readonly offsets: CommittedOffsets,
    private readonly membership: GroupMembership,
  ) {}

  static open(config: BrokerConfig, logger: (line: string) => void): GroupCoordinator {
    const {store, state} = GroupStore.open(config.dataDir, config.fsync === 'always', logger);
    const offsets = new CommittedOffsets(store, logger);
    const membership = new GroupMembership(config, offsets, logger);
    membership.restoreMembers(state);
    offsets.restoreOffsets(state);
    if (offsets.groups.size > 0) logger(`restored ${offsets.groups.size} consumer group(s)`);
    return new GroupCoordinator(offsets, membership);
  }

  join(req: JoinRequest): Promise<JoinResult> {
    return this.membership.join(req);
  }

  sync(groupId: string, generationId: number, memberId: string, assignments: Array<{memberId: string; assignment: Buffer}>): Promise<SyncResult> {
    return this.membership.sync(groupId, generationId, memberId, assignments);
  }

  heartbeat(groupId: string, generationId: number, memberId: string): number {
    return this.membership.heartbeat(groupId, generationId, memberId);
  }

  leave(groupId: string, memberId: string): number {
    return this.membership.leave(groupId, memberId);
  }

  /**
   * Commits offsets for a group member (or, with generation -1, for a group not
   * using the coordinator). Returns per-item error codes once durable.
   */
  async commit(groupId: string, generationId: number, memberId: string, items: OffsetCommitItem[], partitionExists: (t: string, p: number) => boolean): Promise<number[]> {
    if (groupId === '') return items.map(() => ErrorCode.INVALID_GROUP_ID);
    const groupError = this.membership.commitError(groupId, generationId, memberId);
    if (groupError !== ErrorCode.NONE) return items.map(() => groupError);
    return this.offsets.commit(groupId, items, partitionExists);
  }

  /** Offsets a committed transaction staged (TxnOffsetCommit): applied whatever the group's generation is now. */
  commitStaged(groupId: string, items: OffsetCommitItem[], partitionExists: (t: string, p: number) => boolean): Promise<number[]> {
    return this.offsets.commit(groupId, items, partitionExists);
  }

  /** Committed offsets of a group: all of them, or for the given partitions (missing → null). */
  committed(groupId: string, wanted: Array<{topic: string; partition: number}> | null): Array<{topic: string; partition: number; committed: CommittedOffset | null}> {
    return this.offsets.committed(groupId, wanted);
  }

  /** Rebalances completed since start, per group. */
  get rebalances(): ReadonlyMap<string, number> {
    return this.membership.rebalances;
  }

  list(): Array<{groupId: string; protocolType: string}> {
    return this.membership.list();
  }

  describe(groupId: string): GroupSummary {
    return this.membership.describe(groupId);
  }

  deleteGroup(groupId: string): Promise<number> {
    return this.offsets.deleteGroup(groupId);
  }

  /** Offsets of a deleted topic go away, as in Kafka. */
  topicDeleted(topic: string): void {
    this.offsets.topicDeleted(topic);
  }

  async close(): Promise<void> {
    this.membership.stopTimers();
    await this.offsets.close();
  }
}
