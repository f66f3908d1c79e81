import kafkajs from 'kafkajs';
import {describe, expect, it} from 'vitest';
import {buildGroupLag, decodeAssignment, partitionLag, type GroupMember} from './groups.js';

const {AssignerProtocol} = kafkajs;

describe('partitionLag', () => {
  it('is end − committed when the group committed', () => {
    expect(partitionLag({committed: 4, start: 0, end: 10})).toEqual({lag: 6, uncommitted: false});
    expect(partitionLag({committed: 10, start: 0, end: 10})).toEqual({lag: 0, uncommitted: false});
  });

  it('keeps Kafka\'s definition when retention deleted past the commit (end − committed, not end − start)', () => {
    expect(partitionLag({committed: 2, start: 5, end: 10})).toEqual({lag: 8, uncommitted: false});
  });

  it('counts every retained record, flagged, when nothing is committed', () => {
    expect(partitionLag({committed: null, start: 3, end: 10})).toEqual({lag: 7, uncommitted: true});
    expect(partitionLag({committed: null, start: 0, end: 0})).toEqual({lag: 0, uncommitted: true});
  });

  it('never goes below zero (a commit past the end, e.g. after the topic was recreated)', () => {
    expect(partitionLag({committed: 12, start: 0, end: 5})).toEqual({lag: 0, uncommitted: false});
  });
});

const member = (id: string, assignment: GroupMember['assignment']): GroupMember => ({memberId: id, clientId: 'c', clientHost: '127.0.0.1', assignment});

describe('buildGroupLag', () => {
  const topicOffsets = new Map([
    ['b.v1', [{partition: 1, start: 0, end: 7}, {partition: 0, start: 2, end: 9}]],
    ['a.v1', [{partition: 0, start: 0, end: 4}]],
    ['c.v1', [{partition: 0, start: 0, end: 100}]],
  ]);

  it('gives every partition of every committed or assigned topic a row, with owner and totals, ordered', () => {
    const result = buildGroupLag({
      committed: [
        {topic: 'b.v1', partition: 0, offset: 5},
        {topic: 'b.v1', partition: 1, offset: null},
      ],
      topicOffsets,
      members: [member('m-1', [{topic: 'b.v1', partitions: [1]}]), member('m-2', [{topic: 'a.v1', partitions: [0]}, {topic: 'b.v1', partitions: [0]}])],
    });
    expect(result.partitions.map((p) => [p.topic, p.partition, p.committed, p.end, p.lag, p.uncommitted, p.owner?.memberId ?? null])).toEqual([
      ['a.v1', 0, null, 4, 4, true, 'm-2'],
      ['b.v1', 0, 5, 9, 4, false, 'm-2'],
      ['b.v1', 1, null, 7, 7, true, 'm-1'],
    ]);
    expect(result.totalLag).toBe(15);
    expect(result.partitions[0]!.owner).toEqual({memberId: 'm-2', clientId: 'c', clientHost: '127.0.0.1'});
  });

  it('has no owners for an empty group and leaves out topics that no longer exist', () => {
    const result = buildGroupLag({
      committed: [
        {topic: 'a.v1', partition: 0, offset: 1},
        {topic: 'gone.v1', partition: 0, offset: 3},
      ],
      topicOffsets,
      members: [],
    });
    expect(result.partitions).toEqual([{topic: 'a.v1', partition: 0, committed: 1, start: 0, end: 4, lag: 3, uncommitted: false, owner: null}]);
    expect(result.totalLag).toBe(3);
  });

  it('is empty with a zero total when the group has nothing', () => {
    expect(buildGroupLag({committed: [], topicOffsets, members: []})).toEqual({partitions: [], totalLag: 0});
  });
});

describe('decodeAssignment', () => {
  it('decodes the consumer protocol\'s member assignment, sorted', () => {
    const bytes = AssignerProtocol.MemberAssignment.encode({version: 0, assignment: {'b.v1': [2, 0], 'a.v1': [1]}, userData: Buffer.alloc(0)});
    expect(decodeAssignment('consumer', bytes)).toEqual([
      {topic: 'a.v1', partitions: [1]},
      {topic: 'b.v1', partitions: [0, 2]},
    ]);
  });

  it('is empty for no bytes, other protocol types and garbage', () => {
    expect(decodeAssignment('consumer', Buffer.alloc(0))).toEqual([]);
    expect(decodeAssignment('connect', Buffer.from([0, 0, 0, 0, 0, 1]))).toEqual([]);
    expect(decodeAssignment('consumer', Buffer.from([0, 0, 0, 0, 0, 9, 1]))).toEqual([]);
  });
});
