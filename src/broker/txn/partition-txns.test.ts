import {afterEach, describe, expect, it} from 'vitest';
import {openLog, TestDirs} from '../log/log-test-kit.js';
import {encodeRecordBatch} from '../protocol/record-batch.js';
import {markerRecord, markerTypeAt, PartitionTxns} from './partition-txns.js';
import {rebuild} from './producer-registry.js';

const txnData = {attributes: 0x10};
const plain = {attributes: 0};

describe('PartitionTxns', () => {
  it('the LSO is the first offset of the oldest open transaction, else the high watermark', () => {
    const s = new PartitionTxns();
    expect(s.lastStableOffset(10)).toBe(10);
    s.onData({...txnData, producerId: 1}, 3);
    s.onData({...txnData, producerId: 2}, 5);
    s.onData({...txnData, producerId: 1}, 6); // the same transaction goes on
    s.onData({...plain, producerId: 3}, 7); // not transactional: never holds readers back
    expect(s.lastStableOffset(10)).toBe(3);
    s.onMarker(1, 'commit', 8);
    expect(s.lastStableOffset(10)).toBe(5);
    s.onMarker(2, 'abort', 9);
    expect(s.lastStableOffset(10)).toBe(10);
    expect(s.describe()).toEqual({open: [], aborted: [{producerId: 2, firstOffset: 5, lastOffset: 9}]});
  });

  it('keeps the aborted list sorted by first offset whatever order the markers come in', () => {
    const s = new PartitionTxns();
    s.onData({...txnData, producerId: 1}, 0);
    s.onData({...txnData, producerId: 2}, 1);
    s.onData({...txnData, producerId: 3}, 2);
    s.onMarker(3, 'abort', 3);
    s.onMarker(2, 'abort', 4);
    s.onMarker(1, 'abort', 5);
    expect(s.abortedIn(0, 6).map((a) => a.producerId)).toEqual([1, 2, 3]);
    expect(s.abortedIn(5, 6).map((a) => a.producerId)).toEqual([1]);
    expect(s.abortedIn(0, 1).map((a) => a.producerId)).toEqual([1]);
    s.forgetBelow(5);
    expect(s.describe().aborted.map((a) => a.producerId)).toEqual([1]);
  });

  it('forgets the aborted spans of markers the cleaner removed, keeping the others', () => {
    const s = new PartitionTxns();
    s.onData({...txnData, producerId: 1}, 0);
    s.onMarker(1, 'abort', 1);
    s.onData({...txnData, producerId: 1}, 2);
    s.onMarker(1, 'abort', 3);
    s.forgetMarkers([1]);
    expect(s.abortedIn(0, 4)).toEqual([{producerId: 1, firstOffset: 2, lastOffset: 3}]);
  });

  it('a marker for a producer without an open transaction here changes nothing', () => {
    const s = new PartitionTxns();
    s.onMarker(7, 'abort', 0);
    expect(s.describe()).toEqual({open: [], aborted: []});
  });

  it('encodes markers as Kafka does and reads their type back', () => {
    const commit = markerRecord('commit', 4);
    expect(commit.key.toString('hex')).toBe('00000001');
    expect(commit.value.toString('hex')).toBe('000000000004');
    expect(markerRecord('abort', 0).key.toString('hex')).toBe('00000000');
    const batch = encodeRecordBatch({records: [markerRecord('abort', 0)], producerId: 1, producerEpoch: 0, transactional: true, control: true});
    expect(batch.readInt16BE(21)).toBe(0x30); // attributes: transactional + control
    expect(markerTypeAt(batch, 0)).toBe('abort');
  });
});

describe('rebuilding transaction state from the log', () => {
  const dirs = new TestDirs();
  afterEach(() => dirs.cleanup());

  it('gives the open transactions and aborted spans the live appends had, across segments', async () => {
    const dir = dirs.make();
    const log = await openLog(dir, {segmentBytes: 1024});
    const live = new PartitionTxns();
    const data = (producerId: number) => {
      const bytes = encodeRecordBatch({records: [{value: 'x'.repeat(60)}], producerId, producerEpoch: 0, baseSequence: 0, transactional: true});
      live.onData({attributes: 0x10, producerId}, log.append(bytes, Date.now()).baseOffset);
    };
    const marker = (producerId: number, type: 'commit' | 'abort') => {
      const bytes = encodeRecordBatch({records: [markerRecord(type, 0)], producerId, producerEpoch: 0, transactional: true, control: true});
      live.onMarker(producerId, type, log.append(bytes, Date.now(), {origin: 'broker'}).baseOffset);
    };
    for (let i = 0; i < 20; i++) {
      data(i % 3);
      data(i % 3);
      marker(i % 3, i % 2 === 0 ? 'abort' : 'commit');
    }
    data(5); // left open
    expect(log.segmentCount).toBeGreaterThan(3);
    await log.close();
    const reopened = await openLog(dir, {segmentBytes: 1024});
    const rebuilt = rebuild(reopened).txns;
    expect(rebuilt.describe()).toEqual(live.describe());
    expect(rebuilt.describe().aborted).toHaveLength(10);
    expect(rebuilt.lastStableOffset(reopened.logEndOffset)).toBe(60);
    await reopened.close();
  });
});
