import {existsSync, writeFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {decodeRecords, encodeRecordBatch, iterateBatches, validateBatches} from '../protocol/record-batch.js';
import {cleanerStatus, cleanLog, type CleanerConfig} from './cleaner.js';
import {openLog, TestDirs} from './log-test-kit.js';
import type {PartitionLog} from './partition-log.js';

const dirs = new TestDirs();
afterEach(() => dirs.cleanup());

const NOW = 10_000_000;
const config: CleanerConfig = {minCleanableDirtyRatio: 0.5, minCompactionLagMs: 0, deleteRetentionMs: 1000};

/** Every record left in the log as [offset, key, value]. */
function contents(log: PartitionLog): Array<[number, string, string | null]> {
  const bytes = log.read(log.logStartOffset, 64 * 1024 * 1024);
  validateBatches(bytes, 'broker'); // CRCs and offset deltas of rewritten batches are right
  return [...iterateBatches(bytes)].flatMap(({position}) =>
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
