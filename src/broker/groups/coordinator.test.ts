import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {brokerConfig} from '../config.js';
import {ErrorCode} from '../protocol/errors.js';
import {GroupCoordinator, type JoinRequest} from './coordinator.js';
import type {SyncResult} from './group.js';

// The coordinator driven directly, without sockets: the classic group protocol's state machine.

let dataDir: string;
let coordinator: GroupCoordinator;
const logs: string[] = [];
const open = () => GroupCoordinator.open(brokerConfig({dataDir, fsync: 'never', groupMinSessionTimeoutMs: 10}), (l) => logs.push(l));

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kpat-coordinator-'));
  logs.length = 0;
  coordinator = open();
});
afterEach(async () => {
  vi.useRealTimers();
  await coordinator.close();
  rmSync(dataDir, {recursive: true, force: true});
});

const GROUP = 'g';
const joinReq = (memberId: string, overrides: Partial<JoinRequest> = {}): JoinRequest => ({
  groupId: GROUP,
  memberId,
  groupInstanceId: null,
  clientId: 'c',
  clientHost: '/127.0.0.1',
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 30_000,
  protocolType: 'consumer',
  protocols: [{name: 'range', metadata: Buffer.from(`meta-${memberId || 'new'}`)}],
  requireKnownMemberId: false,
  ...overrides,
});

/** Whether a promise has settled after the event loop had a chance to run. */
async function settled<T>(p: Promise<T>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}

/** One member joins, syncs and is stable; returns its id and generation. */
async function stableMember(assignment = Buffer.from('a')) {
  const joined = await coordinator.join(joinReq(''));
  expect(joined.errorCode).toBe(ErrorCode.NONE);
  const synced = await coordinator.sync(GROUP, joined.generationId, joined.memberId, [{memberId: joined.memberId, assignment}]);
  expect(synced).toEqual({errorCode: ErrorCode.NONE, assignment});
  return {memberId: joined.memberId, generation: joined.generationId};
}

describe('group coordinator', () => {
  it('asks a new member to rejoin with its id (MEMBER_ID_REQUIRED), then makes it the leader of generation 1', async () => {
    const first = await coordinator.join(joinReq('', {requireKnownMemberId: true}));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^c-/);
    expect(coordinator.describe(GROUP).members).toEqual([]);

    const joined = await coordinator.join(joinReq(first.memberId, {requireKnownMemberId: true}));
    expect(joined).toMatchObject({errorCode: ErrorCode.NONE, generationId: 1, protocolName: 'range', leader: first.memberId, memberId: first.memberId});
    expect(joined.members).toEqual([{memberId: first.memberId, groupInstanceId: null, metadata: Buffer.from(`meta-${first.memberId}`)}]);
    expect(coordinator.describe(GROUP).state).toBe('CompletingRebalance');

    const synced = await coordinator.sync(GROUP, 1, first.memberId, [{memberId: first.memberId, assignment: Buffer.from('p0')}]);
    expect(synced).toEqual({errorCode: ErrorCode.NONE, assignment: Buffer.from('p0')});
    expect(coordinator.heartbeat(GROUP, 1, first.memberId)).toBe(ErrorCode.NONE);
    expect(coordinator.describe(GROUP)).toMatchObject({state: 'Stable', protocolType: 'consumer', protocol: 'range'});
    expect(coordinator.describe(GROUP).members[0]!.assignment).toEqual(Buffer.from('p0'));
  });

  it('answers UNKNOWN_MEMBER_ID to a member id it never gave out, on join, sync, heartbeat and leave', async () => {
    await stableMember();
    expect((await coordinator.join(joinReq('ghost'))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await coordinator.sync(GROUP, 1, 'ghost', [])).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.heartbeat(GROUP, 1, 'ghost')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.leave(GROUP, 'ghost')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.heartbeat('no-such-group', 1, 'ghost')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('answers ILLEGAL_GENERATION to a member speaking for another generation, on sync, heartbeat and commit', async () => {
    const {memberId, generation} = await stableMember();
    expect((await coordinator.sync(GROUP, generation + 1, memberId, [])).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(coordinator.heartbeat(GROUP, generation - 1, memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    const codes = await coordinator.commit(GROUP, generation + 5, memberId, [{topic: 't', partition: 0, offset: 3, leaderEpoch: -1, metadata: null}], () => true);
    expect(codes).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(coordinator.committed(GROUP, [{topic: 't', partition: 0}])[0]!.committed).toBeNull();
  });

  it('rebalances when a second member joins: the first hears REBALANCE_IN_PROGRESS on heartbeat, both get generation 2, only the leader gets the members', async () => {
    const a = await stableMember();
    const joinB = coordinator.join(joinReq(''));
    expect(await settled(joinB)).toBe(false); // parked until every member has rejoined
    expect(coordinator.describe(GROUP).state).toBe('PreparingRebalance');
    expect(coordinator.heartbeat(GROUP, a.generation, a.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    // As in Kafka, the current generation may still commit before rejoining (what consumers do when partitions are revoked).
    const codes = await coordinator.commit(GROUP, a.generation, a.memberId, [{topic: 't', partition: 0, offset: 1, leaderEpoch: -1, metadata: null}], () => true);
    expect(codes).toEqual([ErrorCode.NONE]);

    const rejoinA = await coordinator.join(joinReq(a.memberId));
    const b = await joinB;
    expect(rejoinA).toMatchObject({errorCode: ErrorCode.NONE, generationId: 2, leader: a.memberId});
    expect(rejoinA.members.map((m) => m.memberId).sort()).toEqual([a.memberId, b.memberId].sort());
    expect(b).toMatchObject({errorCode: ErrorCode.NONE, generationId: 2, leader: a.memberId, members: []});
    // Between JoinGroup and SyncGroup a heartbeat is normal, not a rebalance.
    expect(coordinator.heartbeat(GROUP, 2, b.memberId)).toBe(ErrorCode.NONE);
  });

  it('parks a follower\'s SyncGroup until the leader sends the assignments, then answers both', async () => {
    const a = await stableMember();
    const joinB = coordinator.join(joinReq(''));
    await coordinator.join(joinReq(a.memberId));
    const b = await joinB;

    const followerSync = coordinator.sync(GROUP, 2, b.memberId, []);
    expect(await settled(followerSync)).toBe(false);
    expect(coordinator.describe(GROUP).state).toBe('CompletingRebalance');
    // Committing while assignments are being handed out: REBALANCE_IN_PROGRESS.
    const during = await coordinator.commit(GROUP, 2, b.memberId, [{topic: 't', partition: 0, offset: 1, leaderEpoch: -1, metadata: null}], () => true);
    expect(during).toEqual([ErrorCode.REBALANCE_IN_PROGRESS]);

    const leaderSync = await coordinator.sync(GROUP, 2, a.memberId, [
      {memberId: a.memberId, assignment: Buffer.from('for-a')},
      {memberId: b.memberId, assignment: Buffer.from('for-b')},
    ]);
    expect(leaderSync).toEqual({errorCode: ErrorCode.NONE, assignment: Buffer.from('for-a')});
    expect(await followerSync).toEqual<SyncResult>({errorCode: ErrorCode.NONE, assignment: Buffer.from('for-b')});
    expect(coordinator.describe(GROUP).state).toBe('Stable');
  });

  it('rebalances the rest when a member leaves, and empties the group when the last one does', async () => {
    const a = await stableMember();
    const joinB = coordinator.join(joinReq(''));
    await coordinator.join(joinReq(a.memberId));
    const b = await joinB;
    const followerSync = coordinator.sync(GROUP, 2, b.memberId, []);
    await coordinator.sync(GROUP, 2, a.memberId, [{memberId: b.memberId, assignment: Buffer.from('for-b')}]);
    await followerSync;

    expect(coordinator.leave(GROUP, b.memberId)).toBe(ErrorCode.NONE);
    expect(coordinator.describe(GROUP).state).toBe('PreparingRebalance');
    expect(coordinator.heartbeat(GROUP, 2, a.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const again = await coordinator.join(joinReq(a.memberId));
    expect(again).toMatchObject({errorCode: ErrorCode.NONE, generationId: 3, leader: a.memberId});
    expect(again.members.map((m) => m.memberId)).toEqual([a.memberId]);

    expect(coordinator.leave(GROUP, a.memberId)).toBe(ErrorCode.NONE);
    // Empty with no committed offsets: nothing is left to keep, and the group goes (Kafka's cleanup would remove it).
    expect(coordinator.describe(GROUP)).toMatchObject({state: 'Dead', members: []});
  });

  it('commits and fetches offsets for a member, and for a group that does not use the coordinator (generation -1)', async () => {
    const {memberId, generation} = await stableMember();
    const codes = await coordinator.commit(
      GROUP,
      generation,
      memberId,
      [
        {topic: 't', partition: 0, offset: 42, leaderEpoch: 3, metadata: 'm'},
        {topic: 't', partition: 9, offset: 1, leaderEpoch: -1, metadata: null},
      ],
      (_t, p) => p === 0,
    );
    expect(codes).toEqual([ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    const [p0, p1] = coordinator.committed(GROUP, [
      {topic: 't', partition: 0},
      {topic: 't', partition: 1},
    ]);
    expect(p0!.committed).toMatchObject({offset: 42, leaderEpoch: 3, metadata: 'm'});
    expect(p1!.committed).toBeNull();

    expect(await coordinator.commit('standalone', -1, '', [{topic: 't', partition: 0, offset: 7, leaderEpoch: -1, metadata: null}], () => true)).toEqual([ErrorCode.NONE]);
    expect(coordinator.committed('standalone', null).map((c) => [c.topic, c.partition, c.committed?.offset])).toEqual([['t', 0, 7]]);
    expect(coordinator.list().map((g) => g.groupId).sort()).toEqual([GROUP, 'standalone']);
  });

  it('expires a member that stops heartbeating after its session timeout, and keeps one that heartbeats', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
    const quiet = await stableMember();
    vi.advanceTimersByTime(9_000);
    expect(coordinator.heartbeat(GROUP, quiet.generation, quiet.memberId)).toBe(ErrorCode.NONE);
    vi.advanceTimersByTime(9_000); // 18 s after joining, 9 s after its heartbeat: still alive
    expect(coordinator.describe(GROUP).members.map((m) => m.memberId)).toEqual([quiet.memberId]);

    vi.advanceTimersByTime(1_001); // 10 s without a heartbeat
    // Empty with no committed offsets: nothing is left to keep, and the group goes (Kafka's cleanup would remove it).
    expect(coordinator.describe(GROUP)).toMatchObject({state: 'Dead', members: []});
    expect(coordinator.heartbeat(GROUP, quiet.generation, quiet.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(logs.some((l) => l.includes(`member ${quiet.memberId} expired`))).toBe(true);
  });

  it('does not expire a member whose SyncGroup is parked waiting for the leader', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
    const a = await stableMember();
    const joinB = coordinator.join(joinReq('', {sessionTimeoutMs: 1_000}));
    await coordinator.join(joinReq(a.memberId));
    const b = await joinB;
    const followerSync = coordinator.sync(GROUP, 2, b.memberId, []);
    vi.advanceTimersByTime(5_000); // far past b's session timeout, but b is waiting on us
    expect(coordinator.describe(GROUP).members.map((m) => m.memberId)).toContain(b.memberId);
    await coordinator.sync(GROUP, 2, a.memberId, [{memberId: b.memberId, assignment: Buffer.from('for-b')}]);
    expect((await followerSync).errorCode).toBe(ErrorCode.NONE);
  });

  it('keeps committed offsets and the group\'s generation across close and reopen', async () => {
    const {memberId, generation} = await stableMember(Buffer.from('kept'));
    await coordinator.commit(GROUP, generation, memberId, [{topic: 'orders', partition: 2, offset: 99, leaderEpoch: 1, metadata: 'note'}], () => true);
    await coordinator.close();

    coordinator = open();
    expect(coordinator.committed(GROUP, [{topic: 'orders', partition: 2}])[0]!.committed).toMatchObject({offset: 99, leaderEpoch: 1, metadata: 'note'});
    // The member comes back into its generation and may keep heartbeating and committing.
    expect(coordinator.describe(GROUP)).toMatchObject({state: 'Stable', members: [{memberId}]});
    expect(coordinator.describe(GROUP).members[0]!.assignment).toEqual(Buffer.from('kept'));
    expect(coordinator.heartbeat(GROUP, generation, memberId)).toBe(ErrorCode.NONE);
    expect(await coordinator.commit(GROUP, generation, memberId, [{topic: 'orders', partition: 2, offset: 100, leaderEpoch: 1, metadata: null}], () => true)).toEqual([ErrorCode.NONE]);
  });
});
