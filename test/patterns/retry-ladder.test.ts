import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {Publisher} from '../../src/kafka/publisher.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import {EventStream} from '../../src/core/event-stream.js';
import type {PatternEvent} from '../../src/patterns/events.js';
import {TransientError} from '../../src/patterns/failures.js';
import {DltHeader, headerNumber, headerText, KpatHeader, RetryHeader} from '../../src/patterns/headers.js';
import {RetryLadder} from '../../src/patterns/retry-ladder/retry-ladder.js';
import {backoffDelays, formatDelay, rungsFor} from '../../src/patterns/retry-ladder/rungs.js';
import {readTopic} from '../helpers/read-topic.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';

let tb: TestBroker;
let publisher: Publisher;
beforeAll(async () => {
  tb = await startTestBroker();
  publisher = await Publisher.connect(tb.conn);
});
afterAll(async () => {
  await publisher.close();
  await tb.stop();
});

const readAll = (topic: string) => readTopic(tb.conn, topic);

const until = async (cond: () => boolean, ms: number, what: string) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('retry ladder rungs', () => {
  it('names rung topics by delay and computes backoffs', () => {
    expect(rungsFor('orders.v1', [1000, 5000, 30_000]).map((r) => r.topic)).toEqual(['orders.v1.retry.1s', 'orders.v1.retry.5s', 'orders.v1.retry.30s']);
    expect(rungsFor('t', [500, 500]).map((r) => r.topic)).toEqual(['t.retry.500ms', 't.retry.500ms-1']);
    expect(backoffDelays({kind: 'exponential', initialMs: 1000, multiplier: 3, maxDelayMs: 20_000, maxAttempts: 5})).toEqual([1000, 3000, 9000, 20_000]);
    expect(backoffDelays({kind: 'fixed', delayMs: 2000, maxAttempts: 3})).toEqual([2000, 2000]);
    expect([formatDelay(90_000), formatDelay(120_000), formatDelay(3_600_000)]).toEqual(['1m30s', '2m', '1h']);
  });
});

describe('retry ladder', () => {
  it('retries on each rung no earlier than due and soon after, goes to the DLT after the last rung, and never blocks the main topic', async () => {
    const topic = 'rl.orders';
    const rungs = rungsFor(topic, [400, 1500]);
    await ensureTopics(tb.conn, [topic, ...rungs.map((r) => r.topic), `${topic}.dlt`].map((name) => ({name, partitions: 2})));
    const events = new EventStream<PatternEvent>();
    const seen: PatternEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const attemptsAt = new Map<string, number[]>();
    const ladder = new RetryLadder({
      conn: tb.conn,
      topic,
      group: 'rl-group',
      rungs,
      publisher,
      events,
      schema: z.object({id: z.string()}),
      handle: async ({id}) => {
        attemptsAt.set(id, [...(attemptsAt.get(id) ?? []), Date.now()]);
        const n = attemptsAt.get(id)!.length;
        if (id === 'flaky' && n < 3) throw new TransientError(`dependency down (attempt ${n})`);
        if (id === 'doomed') throw new TransientError('dependency never comes back');
      },
    });
    await ladder.start();
    try {
      await publisher.send([
        {topic, partition: 0, key: 'flaky', value: '{"id":"flaky"}'},
        {topic, partition: 0, key: 'doomed', value: '{"id":"doomed"}'},
      ]);
      // While both sit on the rungs, new records on the same partition flow straight through.
      await until(() => seen.some((e) => e.type === 'retry-scheduled' && e.record.key === 'doomed'), 10_000, 'doomed to reach a rung');
      const sentAt = Date.now();
      await publisher.send([{topic, partition: 0, key: 'fresh', value: '{"id":"fresh"}'}]);
      await until(() => (attemptsAt.get('fresh')?.length ?? 0) > 0, 5000, 'fresh to be handled');
      expect(attemptsAt.get('fresh')![0]! - sentAt).toBeLessThan(1000);
      expect(seen.some((e) => e.type === 'handled' && e.record.key === 'flaky')).toBe(false); // still waiting on a rung

      await until(() => seen.some((e) => e.type === 'dead-lettered'), 15_000, 'doomed to be dead-lettered');
      await until(() => seen.some((e) => e.type === 'handled' && e.record.key === 'flaky'), 15_000, 'flaky to succeed');
    } finally {
      await ladder.stop();
    }

    // Each retry ran no earlier than its due time, and within a small bound after it.
    const scheduled = seen.filter((e): e is Extract<PatternEvent, {type: 'retry-scheduled'}> => e.type === 'retry-scheduled');
    for (const key of ['flaky', 'doomed']) {
      const times = attemptsAt.get(key)!;
      const dues = scheduled.filter((e) => e.record.key === key).map((e) => e.dueAt);
      expect(dues).toHaveLength(2);
      dues.forEach((due, i) => {
        expect(times[i + 1]!).toBeGreaterThanOrEqual(due);
        expect(times[i + 1]! - due).toBeLessThan(800);
      });
    }
    expect(attemptsAt.get('flaky')).toHaveLength(3);
    expect(attemptsAt.get('doomed')).toHaveLength(3);

    const onRung1 = await readAll(rungs[0]!.topic);
    expect(onRung1.map((r) => [r.key!.toString(), headerNumber(r, RetryHeader.attempts), headerText(r, DltHeader.originalTopic)])).toEqual([
      ['flaky', 1, topic],
      ['doomed', 1, topic],
    ]);
    const dueHeader = headerNumber(onRung1[0]!, RetryHeader.backoffTimestamp)!;
    expect(dueHeader - onRung1[0]!.timestamp).toBe(400);
    const dlt = await readAll(`${topic}.dlt`);
    expect(dlt).toHaveLength(1);
    expect(dlt[0]!.value!.toString()).toBe('{"id":"doomed"}');
    expect(headerText(dlt[0]!, KpatHeader.reason)).toBe('retries-exhausted');
    expect(headerNumber(dlt[0]!, KpatHeader.attempts)).toBe(3);
    expect(headerText(dlt[0]!, DltHeader.originalTopic)).toBe(topic); // the first hop, not the last rung
    expect(headerNumber(dlt[0]!, DltHeader.originalOffset)).toBe(1);
  });
});

describe('a record on the 30s rung', () => {
  it('is held there (partition paused, no polling) while new records on the main topic keep flowing', async () => {
    const topic = 'rl.slow';
    const rungs = rungsFor(topic, [100, 30_000]);
    await ensureTopics(tb.conn, [topic, ...rungs.map((r) => r.topic), `${topic}.dlt`].map((name) => ({name, partitions: 1})));
    const events = new EventStream<PatternEvent>();
    const seen: PatternEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const handledAt = new Map<string, number>();
    let attempts = 0;
    const ladder = new RetryLadder({
      conn: tb.conn,
      topic,
      group: 'rl-slow',
      rungs,
      publisher,
      events,
      handle: async (v: {id: string}) => {
        if (v.id === 'stuck') {
          attempts++;
          throw new TransientError('still down');
        }
        handledAt.set(v.id, Date.now());
      },
    });
    await ladder.start();
    try {
      await publisher.send([{topic, key: 'stuck', value: '{"id":"stuck"}'}]);
      await until(() => seen.some((e) => e.type === 'retry-scheduled' && e.retryTopic === rungs[1]!.topic), 10_000, 'the record to reach the 30s rung');
      await until(() => seen.some((e) => e.type === 'retry-held' && e.record.topic === rungs[1]!.topic), 10_000, 'the 30s rung to hold it');
      const heldEvents = () => seen.filter((e) => e.type === 'retry-held').length;
      const heldBefore = heldEvents();
      for (let i = 0; i < 5; i++) {
        const sentAt = Date.now();
        await publisher.send([{topic, key: `k${i}`, value: JSON.stringify({id: `n${i}`})}]);
        await until(() => handledAt.has(`n${i}`), 5000, `n${i}`);
        expect(handledAt.get(`n${i}`)! - sentAt).toBeLessThan(1000);
      }
      // Held, not spinning: the paused rung did not re-run the record or re-check it in a loop.
      expect(attempts).toBe(2);
      expect(heldEvents() - heldBefore).toBeLessThanOrEqual(1);
    } finally {
      await ladder.stop();
    }
  });
});
