import {existsSync, writeFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {decodeRecords, encodeRecordBatch, iterateBatches, validateBatches} from '../protocol/record-batch.js';
import {markerRecord} from '../txn/partition-txns.js';
import {rebuild} from '../txn/producer-registry.js';
import {cleanerStatus, cleanLog, type CleanerConfig} from './cleaner.js';
import {openLog, TestDirs} from './log-test-kit.js';
import type {PartitionLog} from './partition-log.js';

const dirs = new TestDirs();
afterEach(() => dirs.cleanup());

const NOW = 10_000_000;
const config: CleanerConfig = {minCleanableDirtyRatio: 0.5, minCompactionLagMs: 0, deleteRetentionMs: 1000};

/** Every data record left in the log as [offset, key, value]. */
function contents(log: PartitionLog): Array<[number, string, string | null]> {
  const bytes = log.read(log.logStartOffset, 64 * 1024 * 1024);
  validateBatches(bytes, 'broker'); // CRCs and offset deltas of rewritten batches are right
  return [...iterateBatches(bytes)].filter(({header}) => !header.isControl).flatMap(({position}) =>
    decodeRecords(bytes, position).map((r): [number, string, string | null] => [r.offset, r.key!.toString(), r.value?.toString() ?? null]),
  );
}

/** `versions` rounds over `keys` keys, one batch of all keys per round; value = `key@round`. */
function fill(log: PartitionLog, keys: number, versions: number, options: {compression?: 'gzip'; timestamp?: number} = {}): void {
  for (let v = 0; v < versions; v++) {
    const records = Array.from({length: keys}, (_, k) => ({key: `k${k}`, value: `k${k}@${v}`, timestamp: options.timestamp ?? NOW - 100_000}));
    log.append(encodeRecordBatch({records, compression: options.compression}), NOW);
  }
}

describe('log cleaner', () => {
  it('keeps the latest record per key at its original offset in sealed segments only', async () => {
    const log = await openLog(dirs.make(), {segmentBytes: 2048});
    fill(log, 10, 20);
    const before = contents(log);
    const activeBase = log.activeBaseOffsetForCleaner();
    const result = await cleanLog(log, config, NOW);
    expect(result!.segmentsRewritten).toBeGreaterThan(0);
    const after = contents(log);
    const expected = before.filter(([offset, key], i) => offset >= activeBase || !before.slice(i + 1).some(([, k]) => k === key));
    expect(after).toEqual(expected);
    expect(after.filter(([, k]) => k === 'k3').at(-1)).toEqual([199 - 6, 'k3', 'k3@19']);
    expect(cleanerStatus(log).dirtyBytes).toBe(0);
    await log.close();
  });

  it('keeps each rewritten batch\'s span and producer fields, and a producer\'s last batch even when emptied', async () => {
    const log = await openLog(dirs.make(), {segmentBytes: 1024});
    const idempotent = (seq: number, records: Array<{key: string; value: string}>) =>
      encodeRecordBatch({records: records.map((r) => ({...r, timestamp: NOW - 100_000})), producerId: 7, producerEpoch: 0, baseSequence: seq});
    log.append(idempotent(0, [{key: 'a', value: 'a0'}, {key: 'b', value: 'b0'}, {key: 'c', value: 'c0'}]), NOW); // 0..2
    log.append(idempotent(3, [{key: 'a', value: 'a1'}, {key: 'c', value: 'c1'}]), NOW); // 3..4, the producer's last
    fill(log, 1, 40); // key k0 from another producer-less writer: seals the segments above
    log.append(encodeRecordBatch({records: [{key: 'a', value: 'a2', timestamp: NOW - 100_000}, {key: 'c', value: 'c2', timestamp: NOW - 100_000}]}), NOW);
    await cleanLog(log, config, NOW);
    const bytes = log.read(0, 1 << 20);
    const headers = [...iterateBatches(bytes)].map(({header}) => header);
    expect(headers[0]).toMatchObject({baseOffset: 0, lastOffsetDelta: 2, recordCount: 1, producerId: 7, baseSequence: 0});
    expect(decodeRecords(bytes, 0).map((r) => [r.offset, r.key!.toString()])).toEqual([[1, 'b']]);
    expect(headers[1]).toMatchObject({baseOffset: 3, lastOffsetDelta: 1, recordCount: 0, producerId: 7, baseSequence: 3});
    await log.close();
  });

  it('re-encodes gzip batches keeping the survivors', async () => {
    const log = await openLog(dirs.make(), {segmentBytes: 1024});
    fill(log, 10, 6, {compression: 'gzip'});
    log.append(encodeRecordBatch({records: [{key: 'k0', value: 'last', timestamp: NOW - 100_000}], compression: 'gzip'}), NOW);
    log.append(encodeRecordBatch({records: [{key: 'k1', value: 'x', timestamp: NOW - 100_000}]}), NOW);
    await cleanLog(log, config, NOW);
    const after = contents(log);
    expect(after.filter(([, k]) => k === 'k0')).toEqual([[60, 'k0', 'last']]);
    expect(after.find(([, k]) => k === 'k5')).toEqual([55, 'k5', 'k5@5']);
    await log.close();
  });

  it('leaves the log alone below min.cleanable.dirty.ratio and before min.compaction.lag.ms', async () => {
    const log = await openLog(dirs.make(), {segmentBytes: 2048});
    // Keys written once stay: the log keeps a clean part after cleaning.
    log.append(encodeRecordBatch({records: Array.from({length: 60}, (_, i) => ({key: `once-${i}`, value: 'v', timestamp: NOW - 100_000}))}), NOW);
    fill(log, 10, 20);
    expect(await cleanLog(log, {...config, minCompactionLagMs: 200_000}, NOW)).toBeNull();
    await cleanLog(log, config, NOW);
    expect(await cleanLog(log, {...config, minCleanableDirtyRatio: 0}, NOW)).toBeNull(); // nothing dirty
    fill(log, 10, 10);
    const {dirtyRatio} = cleanerStatus(log);
    expect(dirtyRatio).toBeGreaterThan(0);
    expect(await cleanLog(log, {...config, minCleanableDirtyRatio: Math.min(1, dirtyRatio + 0.01)}, NOW)).toBeNull();
    expect(await cleanLog(log, {...config, minCleanableDirtyRatio: dirtyRatio}, NOW)).not.toBeNull();
    await log.close();
  });

  it('removes tombstones only once delete.retention.ms has passed', async () => {
    const log = await openLog(dirs.make(), {segmentBytes: 1024});
    fill(log, 4, 5);
    log.append(encodeRecordBatch({records: [{key: 'k1', value: null, timestamp: NOW - 100_000}]}), NOW);
    fill(log, 4, 5);
    log.append(encodeRecordBatch({records: [{key: 'k2', value: null, timestamp: NOW - 100_000}]}), NOW);
    fill(log, 1, 20);
    await cleanLog(log, {...config, deleteRetentionMs: 200_000}, NOW);
    expect(contents(log).filter(([, k]) => k === 'k2')).toEqual([[41, 'k2', null]]);
    // The kept tombstone makes a clean due when it expires, dirty or not.
    await cleanLog(log, {...config, deleteRetentionMs: 200_000}, NOW + 200_000);
    expect(contents(log).filter(([, k]) => k === 'k2')).toEqual([]);
    await log.close();
  });

  it('recovers from a crash at any step of the swap', async () => {
    const dir = dirs.make();
    let log = await openLog(dir, {segmentBytes: 2048});
    fill(log, 10, 20);
    const before = contents(log);
    await log.close();
    // A half-written cleaned segment and a missing index (crash between unlink and rename).
    writeFileSync(`${dir}/00000000000000000000.log.cleaned.tmp`, 'partial');
    log = await openLog(dir, {segmentBytes: 2048});
    expect(existsSync(`${dir}/00000000000000000000.log.cleaned.tmp`)).toBe(false);
    expect(contents(log)).toEqual(before);
    let crashes = 0;
    await expect(
      cleanLog(log, config, NOW, {
        beforeSwap: async () => {
          crashes++;
          throw new Error('crash before the swap');
        },
      }),
    ).rejects.toThrow('crash');
    expect(crashes).toBe(1);
    expect(contents(log)).toEqual(before);
    await log.close();
  });
});

describe('log cleaner and transactions', () => {
  const OLD = NOW - 100_000;
  const txnBatch = (producerId: number, seq: number, records: Array<[key: string, value: string]>) =>
    encodeRecordBatch({
      records: records.map(([key, value]) => ({key, value, timestamp: OLD})),
      producerId,
      producerEpoch: 0,
      baseSequence: seq,
      transactional: true,
    });
  const marker = (producerId: number, type: 'commit' | 'abort') =>
    encodeRecordBatch({records: [markerRecord(type, 0)], baseTimestamp: OLD, producerId, producerEpoch: 0, transactional: true, control: true});
  const plain = (records: Array<[key: string, value: string]>) => encodeRecordBatch({records: records.map(([key, value]) => ({key, value, timestamp: OLD}))});
  /** Enough writes of one key to seal the segments holding what came before. */
  const filler = (log: PartitionLog, count = 30) => {
    for (let i = 0; i < count; i++) log.append(plain([['filler', `f${i}`]]), NOW);
  };
  /** Every batch left as [baseOffset, records, control]. */
  const batches = (log: PartitionLog) => {
    const bytes = log.read(log.logStartOffset, 1 << 24);
    validateBatches(bytes, 'broker');
    return [...iterateBatches(bytes)].map(({header}) => [header.baseOffset, header.recordCount, header.isControl] as const);
  };

  it('drops aborted records whatever their keys, keeping the latest committed value of each key', async () => {
    const log = await openLog(dirs.make(), {segmentBytes: 1024});
    log.append(plain([['k0', 'v0'], ['k1', 'v0'], ['k2', 'v0']]), NOW); // 0..2
    log.append(txnBatch(1, 0, [['k0', 'aborted'], ['k1', 'aborted'], ['only-aborted', 'x']]), NOW); // 3..5
    log.append(txnBatch(2, 0, [['k2', 'committed']]), NOW); // 6
    log.append(marker(1, 'abort'), NOW, {origin: 'broker'}); // 7
    log.append(marker(2, 'commit'), NOW, {origin: 'broker'}); // 8
    log.append(txnBatch(1, 3, [['k1', 'committed']]), NOW); // 9: the producer's last batch
    log.append(marker(1, 'commit'), NOW, {origin: 'broker'}); // 10
    filler(log);
    const result = await cleanLog(log, {...config, deleteRetentionMs: 200_000}, NOW);
    expect(result!.recordsRemoved).toBeGreaterThan(0);
    expect(contents(log).filter(([, k]) => k !== 'filler')).toEqual([
      [0, 'k0', 'v0'],
      [6, 'k2', 'committed'],
      [9, 'k1', 'committed'],
    ]);
    // The markers stay until delete.retention.ms has passed, even the one whose data is gone.
    expect(batches(log).filter(([, , control]) => control).map(([offset]) => offset)).toEqual([7, 8, 10]);
    expect(result!.markersRemoved).toEqual([]);
    // What a restart rebuilds from the cleaned log: no aborted span left to hide (its data is gone).
    expect(rebuild(log).txns.describe()).toEqual({open: [], aborted: []});

    // Later, the abort marker (no data left) goes; commit markers whose data remains stay.
    const later = await cleanLog(log, {...config, deleteRetentionMs: 200_000}, NOW + 200_000);
    expect(later!.markersRemoved).toEqual([7]);
    expect(rebuild(log).txns.describe()).toEqual({open: [], aborted: []});
    expect(batches(log).filter(([, , control]) => control).map(([offset]) => offset)).toEqual([8, 10]);
    expect(contents(log).filter(([, k]) => k !== 'filler')).toEqual([
      [0, 'k0', 'v0'],
      [6, 'k2', 'committed'],
      [9, 'k1', 'committed'],
    ]);
    await log.close();
  });

  it('drops a commit marker once its records are all superseded and delete.retention.ms has passed', async () => {
    const log = await openLog(dirs.make(), {segmentBytes: 1024});
    log.append(txnBatch(1, 0, [['k0', 'committed']]), NOW); // 0
    log.append(marker(1, 'commit'), NOW, {origin: 'broker'}); // 1
    log.append(encodeRecordBatch({records: [{key: 'k0', value: 'newer', timestamp: OLD}], producerId: 1, producerEpoch: 0, baseSequence: 1}), NOW); // 2
    filler(log);
    await cleanLog(log, config, NOW); // removes the committed record (superseded); the marker waits a pass
    expect(batches(log).slice(0, 2)).toEqual([[1, 1, true], [2, 1, false]]);
    const later = await cleanLog(log, config, NOW + 1);
    expect(later!.markersRemoved).toEqual([1]);
    expect(contents(log).filter(([, k]) => k !== 'filler')).toEqual([[2, 'k0', 'newer']]);
    await log.close();
  });

  it('keeps an aborted batch holding its producer\'s last sequence as an empty header, and its marker with it', async () => {
    const log = await openLog(dirs.make(), {segmentBytes: 1024});
    log.append(txnBatch(3, 0, [['k0', 'aborted']]), NOW); // 0
    log.append(marker(3, 'abort'), NOW, {origin: 'broker'}); // 1
    filler(log);
    await cleanLog(log, config, NOW + 200_000);
    await cleanLog(log, config, NOW + 400_000);
    expect(batches(log).slice(0, 2)).toEqual([[0, 0, false], [1, 1, true]]);
    const header = [...iterateBatches(log.read(0, 1 << 20))][0]!.header;
    expect(header).toMatchObject({producerId: 3, baseSequence: 0, isTransactional: true, lastOffsetDelta: 0});
    await log.close();
  });

  it('cleans nothing from an open transaction on, and its records displace no committed value', async () => {
    const log = await openLog(dirs.make(), {segmentBytes: 1024});
    log.append(plain([['k0', 'v0']]), NOW); // 0
    filler(log, 20);
    log.append(txnBatch(5, 0, [['k0', 'open']]), NOW); // 21, never ended
    filler(log, 30);
    await cleanLog(log, config, NOW);
    const left = contents(log);
    expect(left.filter(([, k]) => k === 'k0')).toEqual([[0, 'k0', 'v0'], [21, 'k0', 'open']]);
    // Segments wholly below the open transaction are compacted; from its segment on nothing is.
    const unstableSegment = Math.max(...log.sealedSegmentsForCleaner().map((s) => s.baseOffset).filter((base) => base <= 21));
    expect(unstableSegment).toBeGreaterThan(1);
    const fillerOffsets = left.filter(([, k]) => k === 'filler').map(([offset]) => offset);
    expect(fillerOffsets.filter((o) => o < unstableSegment)).toEqual([]);
    expect(fillerOffsets.filter((o) => o > 21)).toHaveLength(30);
    expect(fillerOffsets.filter((o) => o >= unstableSegment && o < 21)).toHaveLength(21 - unstableSegment);
    await log.close();
  });
});
