import {existsSync, readdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {ErrorCode, KafkaProtocolError} from '../protocol/errors.js';
import {batchRanges, makeBatch, openLog, TestDirs} from './log-test-kit.js';
import type {PartitionLog} from './partition-log.js';

const dirs = new TestDirs();
const logs: PartitionLog[] = [];
afterEach(async () => {
  await Promise.all(logs.splice(0).map((log) => log.close()));
  dirs.cleanup();
});

const CONFIG = {segmentBytes: 1000, indexIntervalBytes: 200};
const HOUR = 3_600_000;

async function track(log: Promise<PartitionLog>): Promise<PartitionLog> {
  logs.push(await log);
  return logs[logs.length - 1]!;
}

/** 30 batches of 2 records (161 bytes each, 6 per segment); batch i has timestamps i hours (+0, +1 ms). */
function fillHourly(log: PartitionLog): void {
  for (let i = 0; i < 30; i++) log.append(makeBatch(2, {valueBytes: 40, timestamp: i * HOUR}), Date.now());
}

function segmentBases(dir: string): number[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .map((name) => Number(name.slice(0, 20)))
    .sort((a, b) => a - b);
}

describe('deleteRecordsBefore', () => {
  it('advances the log start offset, drops whole segments below it, and survives reopen', async () => {
    const dir = dirs.make();
    const log = await openLog(dir, CONFIG);
    fillHourly(log);
    const bases = segmentBases(dir);
    const cut = bases[2]! + 3; // inside the third segment
    log.deleteRecordsBefore(cut);
    expect(log.logStartOffset).toBe(cut);
    expect(segmentBases(dir)).toEqual(bases.slice(2));
    expect(() => log.read(cut - 1, 100)).toThrow(KafkaProtocolError);
    // The batch holding the new start offset is still served whole.
    expect(batchRanges(log.read(cut, 1))).toEqual([[cut - 1, cut]]);
    log.deleteRecordsBefore(cut - 5); // moving backwards is a no-op
    expect(log.logStartOffset).toBe(cut);
    await log.close();

    const reopened = await track(openLog(dir, CONFIG));
    expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([cut, 60]);
  });

  it('deleting up to the log end drops all data and keeps counting', async () => {
    const dir = dirs.make();
    const log = await track(openLog(dir, CONFIG));
    fillHourly(log);
    log.deleteRecordsBefore(60);
    expect([log.logStartOffset, log.logEndOffset, log.sizeBytes, log.segmentCount]).toEqual([60, 60, 0, 1]);
    expect(segmentBases(dir)).toEqual([60]);
    expect(log.read(60, 100)).toHaveLength(0);
    expect(log.append(makeBatch(1), Date.now()).baseOffset).toBe(60);
  });

  it('refuses offsets beyond the log end', async () => {
    const log = await track(openLog(dirs.make(), CONFIG));
    fillHourly(log);
    let code = 0;
    try {
      log.deleteRecordsBefore(61);
    } catch (error) {
      code = (error as KafkaProtocolError).code;
    }
    expect(code).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  it('falls back to the first segment when the checkpoint file is gone', async () => {
    const dir = dirs.make();
    const log = await openLog(dir, CONFIG);
    fillHourly(log);
    const bases = segmentBases(dir);
    log.deleteRecordsBefore(bases[1]! + 1);
    await log.close();
    rmSync(join(dir, 'log-start-offset'));
    const reopened = await track(openLog(dir, CONFIG));
    expect(reopened.logStartOffset).toBe(bases[1]);
  });
});

describe('enforceRetention', () => {
  it('deletes sealed segments older than retention.ms, never the active one', async () => {
    const dir = dirs.make();
    const lines: string[] = [];
    const log = await openLog(dir, {...CONFIG, retentionMs: 10 * HOUR}, lines);
    fillHourly(log);
    const bases = segmentBases(dir);
    // Segments hold hours 0-5, 6-11, 12-17, ...: at 16h01 only the first one is older than 10h.
    log.enforceRetention(16 * HOUR + 1);
    expect(segmentBases(dir)).toEqual(bases.slice(1));
    expect(log.logStartOffset).toBe(bases[1]);
    expect(lines).toEqual([expect.stringMatching(/^retention: deleting \d+ segment\(s\) below offset \d+ \(older than retention\.ms 36000000\)$/)]);

    log.enforceRetention(1000 * HOUR);
    expect(segmentBases(dir)).toEqual([bases[bases.length - 1]]);
    expect(log.logEndOffset).toBe(60);
    await log.close();
    const reopened = await track(openLog(dir, CONFIG));
    expect(reopened.logStartOffset).toBe(bases[bases.length - 1]);
  });

  it('deletes the oldest segments while the log is above retention.bytes', async () => {
    const dir = dirs.make();
    const log = await track(openLog(dir, {...CONFIG, retentionMs: -1, retentionBytes: 2500}));
    fillHourly(log);
    const bases = segmentBases(dir);
    expect(log.sizeBytes).toBe(30 * 161);
    log.enforceRetention(Date.now());
    // 5 segments of 966 bytes: dropping two leaves 2898; a third would go below 2500.
    expect(log.sizeBytes).toBe(30 * 161 - 2 * 966);
    expect(segmentBases(dir)).toEqual(bases.slice(2));
    expect(log.logStartOffset).toBe(bases[2]);
  });

  it('follows retention settings changed at runtime and leaves data alone with -1', async () => {
    const dir = dirs.make();
    const log = await track(openLog(dir, {...CONFIG, retentionMs: -1, retentionBytes: -1}));
    fillHourly(log);
    const segments = log.segmentCount;
    log.enforceRetention(1e15);
    expect(log.segmentCount).toBe(segments);
    log.updateConfig({retentionBytes: 0});
    log.enforceRetention(Date.now());
    expect(log.segmentCount).toBe(1);
    expect(existsSync(join(dir, 'log-start-offset'))).toBe(true);
  });
});
