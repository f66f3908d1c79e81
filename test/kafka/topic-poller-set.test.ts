import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {commitOffsetsAsAdmin} from '../../src/kafka/group-offsets.js';
import type {TopicSnapshot} from '../../src/kafka/topic-poller.js';
import {TopicPollerSet} from '../../src/kafka/topic-poller-set.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';

/** The scenario view's topics panel is fed by a poller set: it shows the groups it is told, not every group on the topic. */
let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
  await ensureTopics(tb.conn, [{name: 'shared.v1', partitions: 2}]);
  for (const groupId of ['mine', 'theirs']) await commitOffsetsAsAdmin(tb.conn, groupId, [{topic: 'shared.v1', partition: 0, offset: 0}]);
});
afterAll(async () => tb.stop());

async function firstPoll(groups?: string[]): Promise<TopicSnapshot> {
  const set = new TopicPollerSet(tb.conn, 50);
  try {
    const polled = new Promise<TopicSnapshot>((resolve) => set.snapshots.subscribe((s) => s[0] && s[0].at > 0 && resolve(s[0])));
    set.watch(['shared.v1'], groups);
    return await polled;
  } finally {
    await set.stop();
  }
}

describe('TopicPollerSet', () => {
  it('with groups: only those of the groups committed on the topic', async () => {
    expect((await firstPoll(['mine'])).groups.map((g) => g.groupId)).toEqual(['mine']);
  });

  it('without: every group committed on the topic', async () => {
    expect((await firstPoll()).groups.map((g) => g.groupId).sort()).toEqual(['mine', 'theirs']);
  });
});
