import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {EventStream} from '../../src/core/event-stream.js';
import {Publisher} from '../../src/kafka/publisher.js';
import {RecordConsumer} from '../../src/kafka/record-consumer.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import {deadLetterHandler} from '../../src/patterns/dead-letter/dead-letter-handler.js';
import type {PatternEvent} from '../../src/patterns/events.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {readTopic} from '../helpers/read-topic.js';

// A dead letter goes to the DLT partition of the same number as its source partition (as
// Spring's recoverer does). A DLT with fewer partitions has no such partition: kafkajs sends
// the dead letter nowhere and answers with no result for it. Publishing must fail saying
// so (it failed with "Cannot read properties of undefined"), and the record stays uncommitted.

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

describe('dead-letter wrapper with a DLT that has fewer partitions than its source', () => {
  it('fails to dead-letter a record from a partition the DLT lacks instead of losing it', async () => {
    await ensureTopics(tb.conn, [
      {name: 'dlp.orders', partitions: 2},
      {name: 'dlp.orders.dlt', partitions: 1},
    ]);
    await publisher.send([{topic: 'dlp.orders', partition: 1, key: 'p', value: 'not json'}]);

    const events = new EventStream<PatternEvent>();
    const seen: PatternEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const failures: Error[] = [];
    const handle = deadLetterHandler({group: 'dlp-group', schema: z.object({orderId: z.string()}), publisher, events, handle: async () => {}});
    const consumer = new RecordConsumer({
      conn: tb.conn,
      groupId: 'dlp-group',
      topics: ['dlp.orders'],
      handle: async (record) => {
        try {
          return await handle(record);
        } catch (error) {
          failures.push(error as Error);
          throw error;
        }
      },
    });
    await consumer.start();
    const deadline = Date.now() + 20_000;
    while (failures.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await consumer.stop();

    expect(failures[0]?.message).toBe('topic dlp.orders.dlt has no partition 1 (it has 1: 0)');
    expect(seen.filter((e) => e.type === 'dead-lettered')).toEqual([]);
    expect(await readTopic(tb.conn, 'dlp.orders.dlt')).toEqual([]);
  });
});
