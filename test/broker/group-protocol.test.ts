import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ErrorCode} from '../../src/broker/protocol/errors.js';
import {JoinGroupRequestSchema, JoinGroupResponseSchema} from '../../src/broker/protocol/messages/join-group.js';
import {SyncGroupRequestSchema, SyncGroupResponseSchema} from '../../src/broker/protocol/messages/sync-group.js';
import {HeartbeatRequestSchema, HeartbeatResponseSchema} from '../../src/broker/protocol/messages/heartbeat.js';
import {OffsetCommitRequestSchema, OffsetCommitResponseSchema} from '../../src/broker/protocol/messages/offset-commit.js';
import {OffsetFetchRequestSchema, OffsetFetchResponseSchema} from '../../src/broker/protocol/messages/offset-fetch.js';
import {DeleteGroupsRequestSchema, DeleteGroupsResponseSchema} from '../../src/broker/protocol/messages/delete-groups.js';
import {MetadataRequestSchema, MetadataResponseSchema} from '../../src/broker/protocol/messages/metadata.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {RawClient} from '../helpers/raw-client.js';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
  const c = await RawClient.connect(tb.bootstrap);
  await c.request(MetadataRequestSchema, MetadataResponseSchema, 4, {topics: [{name: 'gp.v1'}], allowAutoTopicCreation: true});
  c.close();
});
afterAll(async () => tb.stop());

const protocols = [{name: 'range', metadata: Buffer.from('m')}];

/** JoinGroup v5 the way modern clients do it: empty id → MEMBER_ID_REQUIRED → join with the id. */
async function join(c: RawClient, group: string, sessionTimeoutMs = 10_000, rebalanceTimeoutMs = 10_000) {
  const body = {groupId: group, sessionTimeoutMs, rebalanceTimeoutMs, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols};
  const first = await c.request(JoinGroupRequestSchema, JoinGroupResponseSchema, 5, body);
  expect(first.response.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  return c.request(JoinGroupRequestSchema, JoinGroupResponseSchema, 5, {...body, memberId: first.response.memberId});
}

const heartbeat = (c: RawClient, group: string, generationId: number, memberId: string) =>
  c.request(HeartbeatRequestSchema, HeartbeatResponseSchema, 3, {groupId: group, generationId, memberId, groupInstanceId: null}).then((r) => r.response.errorCode);

const commit = (c: RawClient, group: string, generation: number, memberId: string, offset: number) =>
  c
    .request(OffsetCommitRequestSchema, OffsetCommitResponseSchema, 7, {
      groupId: group,
      generationIdOrMemberEpoch: generation,
      memberId,
      groupInstanceId: null,
      topics: [{name: 'gp.v1', partitions: [{partitionIndex: 0, committedOffset: BigInt(offset), committedLeaderEpoch: -1, committedMetadata: 'meta'}]}],
    })
    .then((r) => r.response.topics[0]!.partitions[0]!.errorCode);

describe('group protocol edge cases', () => {
  it('answers stale members with REBALANCE_IN_PROGRESS during a rebalance and ILLEGAL_GENERATION after it', async () => {
    const a = await RawClient.connect(tb.bootstrap);
    const b = await RawClient.connect(tb.bootstrap);
    const ja = (await join(a, 'g-stale')).response;
    expect(ja).toMatchObject({errorCode: 0, generationId: 1, protocolName: 'range', leader: ja.memberId});
    expect(ja.members).toHaveLength(1);
    const sa = await a.request(SyncGroupRequestSchema, SyncGroupResponseSchema, 3, {
      groupId: 'g-stale',
      generationId: 1,
      memberId: ja.memberId,
      groupInstanceId: null,
      assignments: [{memberId: ja.memberId, assignment: Buffer.from('all')}],
    });
    expect(sa.response).toMatchObject({errorCode: 0});
    expect(sa.response.assignment.toString()).toBe('all');
    expect(await heartbeat(a, 'g-stale', 1, ja.memberId)).toBe(ErrorCode.NONE);
    expect(await commit(a, 'g-stale', 1, ja.memberId, 5)).toBe(ErrorCode.NONE);

    // b joins: the group prepares a rebalance; a's heartbeat says so, and a may still commit in generation 1.
    const joinB = join(b, 'g-stale');
    // Once b's join reaches the coordinator, a's heartbeats answer REBALANCE_IN_PROGRESS.
    let code: number = ErrorCode.NONE;
    for (let i = 0; i < 100 && code === ErrorCode.NONE; i++) {
      code = await heartbeat(a, 'g-stale', 1, ja.memberId);
      if (code === ErrorCode.NONE) await new Promise((r) => setTimeout(r, 20));
    }
    expect(code).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(await commit(a, 'g-stale', 1, ja.memberId, 6)).toBe(ErrorCode.NONE);

    // a rejoins; generation 2 forms with both; a's generation-1 requests are now stale.
    const ja2 = (await a.request(JoinGroupRequestSchema, JoinGroupResponseSchema, 5, {groupId: 'g-stale', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: ja.memberId, groupInstanceId: null, protocolType: 'consumer', protocols})).response;
    const jb = (await joinB).response;
    expect(ja2.generationId).toBe(2);
    expect(jb.generationId).toBe(2);
    expect(ja2.leader).toBe(ja.memberId); // the leader stays while it is a member
    expect(ja2.members).toHaveLength(2);
    expect(jb.members).toHaveLength(0);

    // A heartbeat between the join answer and the sync is a normal one; then stale generations after the sync.
    expect(await heartbeat(b, 'g-stale', 2, jb.memberId)).toBe(ErrorCode.NONE);
    const followerSync = b.request(SyncGroupRequestSchema, SyncGroupResponseSchema, 3, {groupId: 'g-stale', generationId: 2, memberId: jb.memberId, groupInstanceId: null, assignments: []});
    await new Promise((r) => setTimeout(r, 50));
    expect(await commit(a, 'g-stale', 2, ja.memberId, 7)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    await a.request(SyncGroupRequestSchema, SyncGroupResponseSchema, 3, {
      groupId: 'g-stale',
      generationId: 2,
      memberId: ja.memberId,
      groupInstanceId: null,
      assignments: [
        {memberId: ja.memberId, assignment: Buffer.from('A')},
        {memberId: jb.memberId, assignment: Buffer.from('B')},
      ],
    });
    expect((await followerSync).response.assignment.toString()).toBe('B');
    expect(await heartbeat(a, 'g-stale', 1, ja.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(await commit(a, 'g-stale', 1, ja.memberId, 8)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(await heartbeat(a, 'g-stale', 2, 'nobody')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(await commit(a, 'g-stale', 2, ja.memberId, 9)).toBe(ErrorCode.NONE);

    const fetched = await a.request(OffsetFetchRequestSchema, OffsetFetchResponseSchema, 5, {groupId: 'g-stale', topics: [{name: 'gp.v1', partitionIndexes: [0, 1]}]});
    expect(fetched.response.topics[0]!.partitions).toEqual([
      {partitionIndex: 0, committedOffset: 9n, committedLeaderEpoch: -1, metadata: 'meta', errorCode: 0},
      {partitionIndex: 1, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0},
    ]);
    const del = await a.request(DeleteGroupsRequestSchema, DeleteGroupsResponseSchema, 1, {groupsNames: ['g-stale', 'never-was']});
    expect(del.response.results).toEqual([
      {groupId: 'g-stale', errorCode: ErrorCode.NON_EMPTY_GROUP},
      {groupId: 'never-was', errorCode: ErrorCode.GROUP_ID_NOT_FOUND},
    ]);
    a.close();
    b.close();
  });

  it('forgets a group whose only would-be member never came back after MEMBER_ID_REQUIRED', async () => {
    const c = await RawClient.connect(tb.bootstrap);
    const first = await c.request(JoinGroupRequestSchema, JoinGroupResponseSchema, 5, {groupId: 'g-ghost', sessionTimeoutMs: 6000, rebalanceTimeoutMs: 6000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols});
    expect(first.response.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(tb.broker.ctx.groups.list().map((g) => g.groupId)).toContain('g-ghost');
    await new Promise((r) => setTimeout(r, 6200));
    expect(tb.broker.ctx.groups.list().map((g) => g.groupId)).not.toContain('g-ghost');
    c.close();
  }, 15_000);

  it('refuses session timeouts outside the broker bounds and mismatched protocols', async () => {
    const c = await RawClient.connect(tb.bootstrap);
    const tooShort = await c.request(JoinGroupRequestSchema, JoinGroupResponseSchema, 5, {groupId: 'g-bounds', sessionTimeoutMs: 100, rebalanceTimeoutMs: 1000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols});
    expect(tooShort.response.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    const joined = (await join(c, 'g-proto')).response;
    expect(joined.errorCode).toBe(0);
    const other = await RawClient.connect(tb.bootstrap);
    const mismatch = await other.request(JoinGroupRequestSchema, JoinGroupResponseSchema, 5, {groupId: 'g-proto', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: '', groupInstanceId: null, protocolType: 'connect', protocols});
    expect(mismatch.response.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    c.close();
    other.close();
  });

  it('expires a silent member by its session timeout during a rebalance, before its rebalance timeout', async () => {
    const a = await RawClient.connect(tb.bootstrap);
    const b = await RawClient.connect(tb.bootstrap);
    const ja = (await join(a, 'g-silent', 6000, 60_000)).response;
    await a.request(SyncGroupRequestSchema, SyncGroupResponseSchema, 3, {groupId: 'g-silent', generationId: ja.generationId, memberId: ja.memberId, groupInstanceId: null, assignments: []});
    // a goes silent; b's join waits for a, until a's 6 s session runs out (not its 60 s rebalance timeout).
    const started = Date.now();
    const jb = (await join(b, 'g-silent', 6000, 60_000)).response;
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(5500);
    expect(waited).toBeLessThan(9000);
    expect(jb.members.map((m) => m.memberId)).toEqual([jb.memberId]);
    a.close();
    b.close();
  }, 20_000);

  it('removes a member that does not rejoin within the rebalance timeout', async () => {
    const a = await RawClient.connect(tb.bootstrap);
    const b = await RawClient.connect(tb.bootstrap);
    const ja = (await join(a, 'g-slow', 30_000, 800)).response;
    await a.request(SyncGroupRequestSchema, SyncGroupResponseSchema, 3, {groupId: 'g-slow', generationId: ja.generationId, memberId: ja.memberId, groupInstanceId: null, assignments: []});
    // b joins; a never rejoins (but its session is long): after a's rebalance timeout (800 ms) the join completes without a.
    const started = Date.now();
    const jb = (await join(b, 'g-slow', 30_000, 800)).response;
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(jb).toMatchObject({errorCode: 0, generationId: ja.generationId + 1, leader: jb.memberId});
    expect(jb.members.map((m) => m.memberId)).toEqual([jb.memberId]);
    expect(await heartbeat(a, 'g-slow', ja.generationId, ja.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    a.close();
    b.close();
  });
});
