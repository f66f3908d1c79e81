import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {encodeRecordBatch} from '../../src/broker/protocol/batch-records.js';
import {readBatchHeaders} from '../../src/kafka/batch-headers.js';
import {readPartitions} from '../../src/kafka/partition-reader.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {connectionTo} from '../helpers/read-topic.js';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

/**
 * A batch as the log cleaner leaves it when compaction removed its last records: the
 * header still covers offsets 0–9, only 0–4 remain, and nothing follows it.
 */
async function topicEndingInACompactedGap(topic: string): Promise<void> {
  await tb.broker.ctx.topics.create(topic, 1, {});
  const batch = encodeRecordBatch({
    lastOffsetDelta: 9,
    records: Array.from({length: 5}, (_, i) => ({key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), offsetDelta: i})),
  });
  tb.broker.ctx.topics.partition(topic, 0)!.append(batch, Date.now(), {origin: 'broker'});
}

describe('direct reads over a compacted gap', () => {
  it('reach the end when the last records of the log were compacted away', async () => {
    await topicEndingInACompactedGap('gap.records');
    const offsets: number[] = [];
    const positions = new Map<number, number>();
    for await (const r of readPartitions(connectionTo(tb.bootstrap), {topic: 'gap.records', start: {kind: 'earliest'}, stopAtEnd: true, positions})) {
      offsets.push(r.offset);
    }
    expect(offsets).toEqual([0, 1, 2, 3, 4]);
    expect(positions.get(0)).toBe(10);
  });

  it('show the batch once with its whole offset range and the records it still holds', async () => {
    await topicEndingInACompactedGap('gap.batches');
    const headers = [];
    for await (const h of readBatchHeaders(connectionTo(tb.bootstrap), {topic: 'gap.batches', start: {kind: 'earliest'}, stopAtEnd: true})) headers.push(h);
    expect(headers).toEqual([expect.objectContaining({baseOffset: 0, lastOffset: 9, count: 5})]);
  });
});
