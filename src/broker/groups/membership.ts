import {randomUUID} from 'node:crypto';
import type {BrokerConfig} from '../config.js';
import {ErrorCode} from '../protocol/errors.js';
import type {CommittedOffsets} from './committed-offsets.js';
import {
  candidateProtocols,
  metadataFor,
  protocolsChanged,
  selectProtocol,
  type Group,
  type JoinResult,
  type Member,
  type SyncResult,
} from './group.js';
import type {LoadedState} from './group-store.js';

/**
 * Group membership in the classic consumer group protocol (Kafka's pre-KIP-848):
 * Empty → PreparingRebalance → CompletingRebalance → Stable, with member ids,
 * generations, protocol selection by vote, the leader receiving every member's
 * metadata, followers' SyncGroup parked until the leader's arrives, session
 * timeouts (members parked in a join or sync are kept alive, as in Kafka) and
 * rebalance timeouts for members that do not rejoin. No initial rebalance delay.
 * Generations are persisted through the offsets table (committed-offsets.ts).
 */
export interface JoinRequest extends Pick<Member, 'memberId' | 'groupInstanceId' | 'clientId' | 'clientHost' | 'sessionTimeoutMs' | 'rebalanceTimeoutMs' | 'protocols'> {
  groupId: string;
  protocolType: string;
  /** JoinGroup v4+: an unknown member first gets MEMBER_ID_REQUIRED with its new id. */
  requireKnownMemberId: boolean;
}

export interface GroupSummary {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: Array<{
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    metadata: Buffer;
    assignment: Buffer;
  }>;
}

const errorJoin = (errorCode: number, memberId = ''): JoinResult => ({
  errorCode,
  generationId: -1,
  protocolName: '',
  leader: '',
  memberId,
  members: [],
});
const EMPTY = Buffer.alloc(0);

export class GroupMembership {
  /** Rebalances completed since start, per group (the metrics endpoint reads them). */
  readonly rebalances = new Map<string, number>();

  constructor(
    private readonly config: BrokerConfig,
    private readonly table: CommittedOffsets,
    private readonly logger: (line: string) => void,
  ) {}

  private get groups(): Map<string, Group> {
    return this.table.groups;
  }

  /** Brings back members and generations; members get a fresh session. */
  restoreMembers(state: LoadedState): void {
    for (const stored of state.groups.values()) {
      const group = this.table.getOrCreate(stored.g);
      group.protocolType = stored.protocolType;
      group.protocol = stored.protocol;
      group.generation = stored.generation;
      group.leader = stored.leader;
      for (const m of stored.members) {
        group.members.set(m.memberId, {
          ...m,
          protocols: m.protocols.map((p) => ({name: p.name, metadata: Buffer.from(p.metadata, 'base64')})),
          assignment: Buffer.from(m.assignment, 'base64'),
          awaitingJoin: null,
          awaitingSync: null,
          sessionTimer: null,
        });
      }
      // Members get a fresh session: those that come back keep their generation, the rest expire.
      group.state = group.members.size > 0 ? 'Stable' : 'Empty';
      for (const m of group.members.values()) this.scheduleSession(group, m);
    }
  }

  // ---- timers ----

  private scheduleSession(group: Group, member: Member): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.sessionTimer = setTimeout(() => {
      member.sessionTimer = null;
      // A member parked in JoinGroup or SyncGroup is waiting on us, not silent.
      if (member.awaitingJoin || member.awaitingSync) return;
      if (group.members.get(member.memberId) !== member) return;
      this.logger(`group ${group.groupId}: member ${member.memberId} expired (no heartbeat for ${member.sessionTimeoutMs} ms)`);
      this.removeMember(group, member);
    }, member.sessionTimeoutMs);
    member.sessionTimer.unref();
  }

  private clearMemberTimers(member: Member): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.sessionTimer = null;
  }

  // ---- state machine ----

  private prepareRebalance(group: Group, reason: string): void {
    if (group.state === 'CompletingRebalance') {
      for (const m of group.members.values()) this.answerSync(group, m, {errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY});
    }
    if (group.state !== 'PreparingRebalance') {
      this.logger(`group ${group.groupId}: preparing rebalance (${reason})`);
      group.state = 'PreparingRebalance';
      const timeout = Math.max(0, ...[...group.members.values()].map((m) => m.rebalanceTimeoutMs));
      if (group.joinTimer) clearTimeout(group.joinTimer);
      group.joinTimer = setTimeout(() => this.completeJoin(group, true), timeout);
      group.joinTimer.unref();
    }
    this.tryCompleteJoin(group);
  }

  private tryCompleteJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    const allJoined = [...group.members.values()].every((m) => m.awaitingJoin !== null) && group.pending.size === 0;
    if (allJoined) this.completeJoin(group, false);
  }

  private completeJoin(group: Group, timedOut: boolean): void {
    if (group.state !== 'PreparingRebalance') return;
    if (group.joinTimer) clearTimeout(group.joinTimer);
    group.joinTimer = null;
    if (timedOut) {
      for (const m of [...group.members.values()]) {
        if (!m.awaitingJoin) {
          this.logger(`group ${group.groupId}: removing ${m.memberId}, which did not rejoin within the rebalance timeout`);
          this.clearMemberTimers(m);
          group.members.delete(m.memberId);
        }
      }
      for (const timer of group.pending.values()) clearTimeout(timer);
      group.pending.clear();
    }
    group.generation++;
    this.rebalances.set(group.groupId, (this.rebalances.get(group.groupId) ?? 0) + 1);
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.protocol = null;
      group.leader = null;
      this.logger(`group ${group.groupId}: empty at generation ${group.generation}`);
      this.table.persistInBackground([this.table.groupEntry(group)], `group ${group.groupId}`);
      this.table.dropIfUnused(group);
      return;
    }
    group.protocol = selectProtocol(group);
    if (!group.leader || !group.members.has(group.leader)) group.leader = group.members.keys().next().value!;
    group.state = 'CompletingRebalance';
    this.logger(`group ${group.groupId}: generation ${group.generation} with ${group.members.size} member(s), protocol ${group.protocol}, leader ${group.leader}`);
    const everyone = [...group.members.values()].map((m) => ({memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: metadataFor(m, group.protocol!)}));
    for (const m of group.members.values()) {
      const answer = m.awaitingJoin;
      m.awaitingJoin = null;
      answer?.({
        errorCode: ErrorCode.NONE,
        generationId: group.generation,
        protocolName: group.protocol,
        leader: group.leader,
        memberId: m.memberId,
        members: m.memberId === group.leader ? everyone : [],
      });
      this.scheduleSession(group, m);
    }
  }

  private removeMember(group: Group, member: Member): void {
    this.clearMemberTimers(member);
    group.members.delete(member.memberId);
    member.awaitingJoin?.(errorJoin(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    member.awaitingJoin = null;
    this.answerSync(group, member, {errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY});
    if (group.leader === member.memberId) group.leader = null;
    if (group.state === 'Stable' || group.state === 'CompletingRebalance') this.prepareRebalance(group, `member ${member.memberId} left`);
    else if (group.state === 'PreparingRebalance') this.tryCompleteJoin(group);
  }

  private answerSync(group: Group, member: Member, result: SyncResult): void {
    const answer = member.awaitingSync;
    member.awaitingSync = null;
    if (answer) {
      answer(result);
      if (group.members.get(member.memberId) === member) this.scheduleSession(group, member);
    }
  }

  // ---- APIs ----

  join(req: JoinRequest): Promise<JoinResult> {
    if (req.groupId === '') return Promise.resolve(errorJoin(ErrorCode.INVALID_GROUP_ID, req.memberId));
    if (req.sessionTimeoutMs < this.config.groupMinSessionTimeoutMs || req.sessionTimeoutMs > this.config.groupMaxSessionTimeoutMs) {
      return Promise.resolve(errorJoin(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId));
    }
    if (req.protocols.length === 0 || req.protocolType === '') return Promise.resolve(errorJoin(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    const group = this.table.getOrCreate(req.groupId);
    const known = req.memberId !== '' && group.members.has(req.memberId);
    const isPending = req.memberId !== '' && group.pending.has(req.memberId);
    if (req.memberId !== '' && !known && !isPending) {
      this.table.dropIfUnused(group);
      return Promise.resolve(errorJoin(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
    }

    // The group's protocol type, and at least one protocol every member supports, must match.
    if (group.members.size > 0 && !known) {
      const names = new Set(req.protocols.map((p) => p.name));
      const overlap = [...candidateProtocols(group)].some((n) => names.has(n));
      if (group.protocolType !== req.protocolType || !overlap) return Promise.resolve(errorJoin(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    }

    if (req.memberId === '') {
      const memberId = `${req.clientId || 'member'}-${randomUUID()}`;
      if (req.requireKnownMemberId) {
        const timer = setTimeout(() => {
          group.pending.delete(memberId);
          this.tryCompleteJoin(group);
          this.table.dropIfUnused(group);
        }, req.sessionTimeoutMs);
        timer.unref();
        group.pending.set(memberId, timer);
        return Promise.resolve(errorJoin(ErrorCode.MEMBER_ID_REQUIRED, memberId));
      }
      return this.addMember(group, memberId, req);
    }
    if (isPending) {
      clearTimeout(group.pending.get(req.memberId));
      group.pending.delete(req.memberId);
      return this.addMember(group, req.memberId, req);
    }
    return this.rejoin(group, group.members.get(req.memberId)!, req);
  }

  private addMember(group: Group, memberId: string, req: JoinRequest): Promise<JoinResult> {
    const member: Member = {
      memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs > 0 ? req.rebalanceTimeoutMs : req.sessionTimeoutMs,
      protocols: req.protocols,
      assignment: EMPTY,
      awaitingJoin: null,
      awaitingSync: null,
      sessionTimer: null,
    };
    if (group.members.size === 0) group.protocolType = req.protocolType;
    group.members.set(memberId, member);
    const result = new Promise<JoinResult>((resolve) => (member.awaitingJoin = resolve));
    this.prepareRebalance(group, `member ${memberId} joined`);
    return result;
  }

  private rejoin(group: Group, member: Member, req: JoinRequest): Promise<JoinResult> {
    const changed = protocolsChanged(member, req.protocols);
    member.protocols = req.protocols;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs > 0 ? req.rebalanceTimeoutMs : req.sessionTimeoutMs;
    member.clientHost = req.clientHost;
    const current = (): JoinResult => ({
      errorCode: ErrorCode.NONE,
      generationId: group.generation,
      protocolName: group.protocol ?? '',
      leader: group.leader ?? '',
      memberId: member.memberId,
      members:
        member.memberId === group.leader
          ? [...group.members.values()].map((m) => ({memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: metadataFor(m, group.protocol ?? '')}))
          : [],
    });
    // A repeated join that changes nothing is answered with the current generation (as Kafka does),
    // except from the leader in a stable group, whose rejoin asks for a new assignment.
    if (!changed && (group.state === 'CompletingRebalance' || (group.state === 'Stable' && member.memberId !== group.leader))) {
      this.scheduleSession(group, member);
      return Promise.resolve(current());
    }
    if (member.awaitingJoin) member.awaitingJoin(errorJoin(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    const result = new Promise<JoinResult>((resolve) => (member.awaitingJoin = resolve));
    this.prepareRebalance(group, `member ${member.memberId} rejoined`);
    return result;
  }

  sync(groupId: string, generationId: number, memberId: string, assignments: Array<{memberId: string; assignment: Buffer}>): Promise<SyncResult> {
    const fail = (errorCode: number) => Promise.resolve({errorCode, assignment: EMPTY});
    const group = this.groups.get(groupId);
    if (!group) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    const member = group.members.get(memberId);
    if (!member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (generationId !== group.generation) return fail(ErrorCode.ILLEGAL_GENERATION);
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return fail(ErrorCode.UNKNOWN_MEMBER_ID);
      case 'PreparingRebalance':
        return fail(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'Stable':
        this.scheduleSession(group, member);
        return Promise.resolve({errorCode: ErrorCode.NONE, assignment: member.assignment});
      case 'CompletingRebalance': {
        if (member.awaitingSync) member.awaitingSync({errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY});
        const result = new Promise<SyncResult>((resolve) => (member.awaitingSync = resolve));
        if (memberId === group.leader) this.completeSync(group, assignments);
        return result;
      }
    }
  }

  private completeSync(group: Group, assignments: Array<{memberId: string; assignment: Buffer}>): void {
    const generation = group.generation;
    const given = new Map(assignments.map((a) => [a.memberId, a.assignment]));
    for (const m of group.members.values()) m.assignment = given.get(m.memberId) ?? EMPTY;
    this.table.persist([this.table.groupEntry(group)])
      .catch((e: unknown) => this.logger(`persisting group ${group.groupId} failed: ${(e as Error).message}`))
      .finally(() => {
        // A member may have left meanwhile, starting another rebalance: then this generation is over.
        if (group.state !== 'CompletingRebalance' || group.generation !== generation) return;
        group.state = 'Stable';
        for (const m of group.members.values()) this.answerSync(group, m, {errorCode: ErrorCode.NONE, assignment: m.assignment});
      });
  }

  heartbeat(groupId: string, generationId: number, memberId: string): number {
    const group = this.groups.get(groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    const member = group.members.get(memberId);
    if (!member || group.state === 'Empty' || group.state === 'Dead') return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generation) return ErrorCode.ILLEGAL_GENERATION;
    this.scheduleSession(group, member);
    // Between its JoinGroup answer and SyncGroup a member may heartbeat (background threads do):
    // that is a normal heartbeat, as in Kafka since 2.5. Only a pending join asks it to rejoin.
    return group.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(groupId: string, memberId: string): number {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.logger(`group ${groupId}: member ${memberId} left`);
    this.removeMember(group, member);
    return ErrorCode.NONE;
  }

  /** Validates the group side of a commit: one error code for every partition, or NONE. */
  commitError(groupId: string, generationId: number, memberId: string): number {
    const group = this.groups.get(groupId);
    if (!group) return generationId < 0 ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
    if (group.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (generationId < 0 && group.state === 'Empty') return ErrorCode.NONE;
    if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    const member = group.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== group.generation) return ErrorCode.ILLEGAL_GENERATION;
    this.scheduleSession(group, member);
    return ErrorCode.NONE;
  }

  list(): Array<{groupId: string; protocolType: string}> {
    return [...this.groups.values()].filter((g) => g.state !== 'Dead').map((g) => ({groupId: g.groupId, protocolType: g.protocolType ?? ''}));
  }

  describe(groupId: string): GroupSummary {
    const group = this.groups.get(groupId);
    if (!group) return {groupId, state: 'Dead', protocolType: '', protocol: '', members: []};
    const stable = group.state === 'Stable';
    return {
      groupId,
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocol: stable ? (group.protocol ?? '') : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        // Like Kafka: metadata and assignment are only meaningful once the generation is stable.
        metadata: stable ? metadataFor(m, group.protocol ?? '') : EMPTY,
        assignment: stable ? m.assignment : EMPTY,
      })),
    };
  }


  /** Stops every timer (the broker is closing). */
  stopTimers(): void {
    for (const group of this.groups.values()) {
      if (group.joinTimer) clearTimeout(group.joinTimer);
      for (const t of group.pending.values()) clearTimeout(t);
      for (const m of group.members.values()) this.clearMemberTimers(m);
    }
  }
}
