import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {Publisher} from '../../src/kafka/publisher.js';
import {RecordConsumer} from '../../src/kafka/record-consumer.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import {deadLetterHandler} from '../../src/patterns/dead-letter/dead-letter-handler.js';
import {EventStream} from '../../src/core/event-stream.js';
import type {PatternEvent} from '../../src/patterns/events.js';
import {NonRetryableError, TransientError} from '../../src/patterns/failures.js';
import {DltHeader, header, headerNumber, headerText, KpatHeader} from '../../src/patterns/headers.js';
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

const Order = z.object({orderId: z.string(), amount: z.number().positive()});

describe('dead-letter wrapper', () => {
  it('sends poison pills and non-retryable failures to <topic>.dlt with Spring headers and untouched bytes, and keeps the partition moving', async () => {
    await ensureTopics(tb.conn, [
      {name: 'dl.orders', partitions: 2},
      {name: 'dl.orders.dlt', partitions: 2},
    ]);
    const values = [
      {key: 'a', value: '{"orderId":"a","amount":10}'},
      {key: 'b', value: '{"orderId":"b","amount":'}, // malformed JSON
      {key: 'c', value: '{"orderId":"c","amount":-5}'}, // schema violation
      {key: 'd', value: '{"orderId":"d","amount":7}'}, // handler refuses for good
      {key: 'e', value: '{"orderId":"e","amount":3}'}, // transient twice, then fine (blocking retries)
      {key: 'f', value: '{"orderId":"f","amount":1}'},
    ];
    await publisher.send(values.map((v) => ({topic: 'dl.orders', partition: 0, key: v.key, value: v.value, headers: {trace: `t-${v.key}`}})));

    const handled: string[] = [];
    const attempts = new Map<string, number>();
    const events = new EventStream<PatternEvent>();
    const seen: PatternEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const consumer = new RecordConsumer({
      conn: tb.conn,
      groupId: 'dl-group',
      topics: ['dl.orders'],
      handle: deadLetterHandler({
        group: 'dl-group',
        schema: Order,
        publisher,
        events,
        blockingRetries: {attempts: 2, backoffMs: 10},
        handle: async (order) => {
          const n = (attempts.get(order.orderId) ?? 0) + 1;
          attempts.set(order.orderId, n);
          if (order.orderId === 'd') throw new NonRetryableError('customer d is blocked');
          if (order.orderId === 'e' && n < 3) throw new TransientError('payment gateway timeout');
          handled.push(order.orderId);
        },
      }),
    });
    await consumer.start();
    const deadline = Date.now() + 20_000;
    while (seen.filter((e) => e.type === 'handled' || e.type === 'dead-lettered').length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await consumer.stop();

    expect(handled).toEqual(['a', 'e', 'f']);
    const dlt = await readAll('dl.orders.dlt');
    expect(dlt.map((r) => r.key!.toString())).toEqual(['b', 'c', 'd']);
    const source = await readAll('dl.orders');
    for (const dead of dlt) {
      const offset = headerNumber(dead, DltHeader.originalOffset)!;
      const original = source.find((r) => r.offset === offset)!;
      expect(dead.value!.equals(original.value!)).toBe(true); // bytes untouched
      expect(dead.partition).toBe(0);
      expect(headerText(dead, DltHeader.originalTopic)).toBe('dl.orders');
      expect(header(dead, DltHeader.originalPartition)).toEqual(Buffer.from([0, 0, 0, 0]));
      expect(header(dead, DltHeader.originalOffset)!.length).toBe(8);
      expect(headerNumber(dead, DltHeader.originalTimestamp)).toBe(original.timestamp);
      expect(headerText(dead, DltHeader.originalConsumerGroup)).toBe('dl-group');
      expect(headerText(dead, 'trace')).toBe(`t-${dead.key!.toString()}`); // original headers kept
      expect(headerText(dead, DltHeader.exceptionStacktrace)!.length).toBeGreaterThan(0);
      expect(headerText(dead, KpatHeader.failedAt)).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    expect(dlt.map((r) => [headerText(r, DltHeader.exceptionFqcn), headerText(r, KpatHeader.reason), headerNumber(r, KpatHeader.attempts)])).toEqual([
      ['DeserializationError', 'deserialization', 1],
      ['ValidationError', 'validation', 1],
      ['NonRetryableError', 'non-retryable', 1],
    ]);
    expect(headerText(dlt[1]!, DltHeader.exceptionMessage)).toMatch(/amount/);

    // Every source offset is committed: the partition moved past the poison pills.
    const committed = seen.filter((e) => e.type === 'handled' || e.type === 'dead-lettered').map((e) => e.record.offset);
    expect(committed.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
