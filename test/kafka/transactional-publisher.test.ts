import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readBatchHeaders} from '../../src/kafka/batch-headers.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import {TransactionalPublisher} from '../../src/kafka/transactional-publisher.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {committedByPartition} from '../helpers/groups.js';
import {readTopic} from '../helpers/read-topic.js';

let tb: TestBroker;

beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

const headers = async (topic: string) => {
  const out = [];
  for await (const h of readBatchHeaders(tb.conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true})) out.push(h);
  return out;
};

describe('TransactionalPublisher', () => {
  it('writes each commit as transactional batches with contiguous sequences, commits the offsets with them, and a fenced writer fails', async () => {
    await ensureTopics(tb.conn, [{name: 'txp.out', partitions: 2}, {name: 'txp.in', partitions: 1}]);
    const writer = await TransactionalPublisher.connect(tb.conn, 'txp-writer');
    const messages = (from: number) => Array.from({length: 300}, (_, i) => ({topic: 'txp.out', partition: (from + i) % 2, key: `k${from + i}`, value: `v${from + i}`, headers: {h: 'x'}}));
    await writer.commit(messages(0), {groupId: 'txp-group', topic: 'txp.in', offsets: new Map([[0, 7]])});
    // Without a partition: placed by the default partitioner.
    await writer.commit([...messages(300), {topic: 'txp.out', key: 'no-partition', value: 'p'}], {groupId: 'txp-group', topic: 'txp.in', offsets: new Map([[0, 9]])});

    const records = await readTopic(tb.conn, 'txp.out');
    expect(records.map((r) => r.value!.toString()).sort()).toEqual([...Array.from({length: 600}, (_, i) => `v${i}`), 'p'].sort());
    expect(records.find((r) => r.key?.toString() === 'k5')!.headers.h?.toString()).toBe('x');

    const batches = await headers('txp.out');
    const data = batches.filter((b) => !b.isControl);
    expect(new Set(data.map((b) => `${b.producerId}/${b.producerEpoch}/${b.isTransactional}`)).size).toBe(1);
    expect(data[0]!.isTransactional).toBe(true);
    for (const p of [0, 1]) {
      const mine = data.filter((b) => b.partition === p);
      // Each batch goes on where the one before it ended.
      mine.forEach((b, i) => expect(b.baseSequence).toBe(i === 0 ? 0 : mine[i - 1]!.lastSequence + 1));
    }
    expect(batches.filter((b) => b.isControl).map((b) => b.endTxnMarker)).toEqual(['COMMIT', 'COMMIT', 'COMMIT', 'COMMIT']);

    const kafka = new Kafka({brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
    const admin = kafka.admin();
    await admin.connect();
    expect(await committedByPartition(admin, 'txp-group', 'txp.in')).toEqual([9]);
    await admin.disconnect();

    // A second writer with the same id fences the first: its next commit fails and writes nothing.
    const successor = await TransactionalPublisher.connect(tb.conn, 'txp-writer');
    await expect(writer.commit(messages(1000))).rejects.toThrow();
    // And stays out: it does not take the id back.
    await expect(writer.commit(messages(2000))).rejects.toThrow();
    await successor.commit([{topic: 'txp.out', partition: 0, key: 'after', value: 'after'}]);
    const after = (await readTopic(tb.conn, 'txp.out')).map((r) => r.value!.toString());
    expect(after).toHaveLength(602);
    expect(after).toContain('after');
    await writer.close();
    await successor.close();
  });
});
