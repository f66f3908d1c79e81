import kafkajs from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Publisher} from '../../src/kafka/publisher.js';
import {DONE, RecordConsumer} from '../../src/kafka/record-consumer.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {committedByPartition, until} from '../helpers/groups.js';

const {Kafka, logLevel} = kafkajs;

let tb: TestBroker;
let publisher: Publisher;
let admin: kafkajs.Admin;
beforeAll(async () => {
  tb = await startTestBroker();
  publisher = await Publisher.connect(tb.conn);
  admin = new Kafka({brokers: [tb.bootstrap], logLevel: logLevel.NOTHING}).admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
  await publisher.close();
  await tb.stop();
});

async function fill(topic: string, count: number): Promise<void> {
  await ensureTopics(tb.conn, [{name: topic, partitions: 1}]);
  await publisher.send(Array.from({length: count}, (_, i) => ({topic, partition: 0, key: String(i), value: String(i)})));
}

// Offsets are resolved in groups rather than per record: these pin what is committed when.
describe('RecordConsumer commits', () => {
  it('never past a record whose handler has not finished, and all of them once finished', async () => {
    const topic = 'rc.commit';
    await fill(topic, 6);
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const handled: number[] = [];
    const consumer = new RecordConsumer({
      conn: tb.conn,
      groupId: 'rc-commit',
      topics: [topic],
      handle: async (record) => {
        if (record.offset === 3) await blocked;
        handled.push(record.offset);
        return DONE;
      },
    });
    await consumer.start();
    try {
      await until('offsets 0-2 handled', async () => handled.length, (n) => n === 3);
      // Long enough for a heartbeat and a commit cycle, were any due.
      await new Promise((r) => setTimeout(r, 1500));
      const [whileBlocked] = await committedByPartition(admin, 'rc-commit', topic);
      expect(whileBlocked ?? 0).toBeLessThanOrEqual(3);
      release();
      await until('every record committed', () => committedByPartition(admin, 'rc-commit', topic), ([o]) => o === 6);
      expect(handled).toEqual([0, 1, 2, 3, 4, 5]);
    } finally {
      await consumer.stop();
    }
  });

  it('on crash(), up to the record before the one being handled: that one is delivered again', async () => {
    const topic = 'rc.crash';
    await fill(topic, 6);
    let crashed: Promise<void> | null = null;
    const consumer: RecordConsumer = new RecordConsumer({
      conn: tb.conn,
      groupId: 'rc-crash',
      topics: [topic],
      handle: async (record) => {
        if (record.offset === 4) crashed = consumer.crash();
        return DONE;
      },
    });
    await consumer.start();
    await until('the crash', async () => crashed, (c) => c !== null);
    await crashed;
    expect(await committedByPartition(admin, 'rc-crash', topic)).toEqual([4]);

    const again: number[] = [];
    const next = new RecordConsumer({conn: tb.conn, groupId: 'rc-crash', topics: [topic], handle: async (r) => (again.push(r.offset), DONE)});
    await next.start();
    try {
      await until('the rest delivered again', async () => again.length, (n) => n === 2);
      expect(again).toEqual([4, 5]);
    } finally {
      await next.stop();
    }
  });
});
