import {describe, expect, it} from 'vitest';
import {encodeRecordBatch} from '../broker/protocol/record-batch.js';
import {decodeBatches} from './fetch-batches.js';

describe('decodeBatches', () => {
  it('decodes whole batches with their producer fields and leaves a truncated last one for the next fetch', async () => {
    const first = encodeRecordBatch({baseOffset: 10, records: [{key: 'a', value: '1', timestamp: 1000}, {key: 'b', value: null, timestamp: 1005, headers: [{key: 'h', value: 'x'}]}]});
    const txn = encodeRecordBatch({baseOffset: 12, producerId: 7, producerEpoch: 2, baseSequence: 40, transactional: true, records: [{value: 'gz', timestamp: 2000}], compression: 'gzip'});
    const cut = encodeRecordBatch({baseOffset: 13, records: [{value: 'later'}]});
    const batches = await decodeBatches(Buffer.concat([first, txn, cut.subarray(0, cut.length - 3)]));
    expect(batches.map((b) => [b.baseOffset, b.lastOffset, b.producerId, b.producerEpoch, b.baseSequence, b.isTransactional])).toEqual([
      [10, 11, -1, -1, -1, false],
      [12, 12, 7, 2, 40, true],
    ]);
    const [a, b] = batches[0]!.records;
    expect([a!.offset, a!.timestamp, a!.key?.toString(), a!.value?.toString()]).toEqual([10, 1000, 'a', '1']);
    expect([b!.offset, b!.timestamp, b!.value, b!.headers.map((h) => [h.key, h.value?.toString()])]).toEqual([11, 1005, null, [['h', 'x']]]);
    expect(batches[1]!.records[0]!.value?.toString()).toBe('gz');
  });
});
