import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Publisher} from '../../src/kafka/publisher.js';
import {produceRecords} from '../../src/kafka/produce.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {readTopic} from '../helpers/read-topic.js';

// kafkajs sends a message for a partition missing from its metadata nowhere and reports
// success; every kpat producer must turn that into an error instead of losing the record.

let tb: TestBroker;
let publisher: Publisher;
beforeAll(async () => {
  tb = await startTestBroker();
  await ensureTopics(tb.conn, [
    {name: 'pub.one', partitions: 1},
    {name: 'pub.two', partitions: 2},
  ]);
  publisher = await Publisher.connect(tb.conn);
});
afterAll(async () => {
  await publisher.close();
  await tb.stop();
});

describe('Publisher', () => {
  it('send() rejects a batch with a record for a partition the topic lacks, and writes none of it', async () => {
    await expect(
      publisher.send([
        {topic: 'pub.two', key: 'a', value: 'fine'},
        {topic: 'pub.one', partition: 4, key: 'b', value: 'nowhere'},
      ]),
    ).rejects.toThrow('topic pub.one has no partition 4 (it has 1: 0)');
    expect(await readTopic(tb.conn, 'pub.one')).toEqual([]);
    expect(await readTopic(tb.conn, 'pub.two')).toEqual([]);
  });

  it('sendOne() rejects a partition the topic lacks instead of answering with an offset of NaN', async () => {
    await expect(publisher.sendOne({topic: 'pub.two', partition: 2, key: null, value: 'x'})).rejects.toThrow('topic pub.two has no partition 2 (it has 2: 0-1)');
    expect(await readTopic(tb.conn, 'pub.two')).toEqual([]);
  });

  it('still sends to partitions that exist and says where they landed', async () => {
    await publisher.send([
      {topic: 'pub.two', partition: 1, key: 'k', value: 'one'},
      {topic: 'pub.one', key: 'k', value: 'two'},
    ]);
    expect(await publisher.sendOne({topic: 'pub.two', partition: 1, key: 'k', value: 'three'})).toEqual({partition: 1, offset: 1});
    expect((await readTopic(tb.conn, 'pub.two')).map((r) => [r.partition, r.offset, r.value?.toString()])).toEqual([
      [1, 0, 'one'],
      [1, 1, 'three'],
    ]);
  });
});

describe('produceRecords', () => {
  it('rejects a record for a missing partition even with acks=0, where the broker answers nothing', async () => {
    const produced: unknown[] = [];
    await expect(produceRecords(tb.conn, [{value: 'x', partition: 9}], {topic: 'pub.one', acks: 0}, (r) => produced.push(r))).rejects.toThrow(
      'topic pub.one has no partition 9 (it has 1: 0)',
    );
    expect(produced).toEqual([]);
  });
});
