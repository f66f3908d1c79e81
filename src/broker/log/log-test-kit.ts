/** Helpers shared by the log tests: temp folders, small configs, batches, offset checks. */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {encodeRecordBatch, iterateBatches, type RecordInput} from '../protocol/record-batch.js';
import {DEFAULT_LOG_CONFIG, type LogConfig} from './log-config.js';
import {PartitionLog} from './partition-log.js';

export class TestDirs {
  private readonly dirs: string[] = [];

  make(): string {
    const dir = mkdtempSync(join(tmpdir(), 'kpat-log-'));
    this.dirs.push(dir);
    return dir;
  }

  cleanup(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, {recursive: true, force: true});
  }
}

export function testConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return {...DEFAULT_LOG_CONFIG, segmentBytes: 64 * 1024, indexIntervalBytes: 512, ...overrides};
}

/** Opens a log whose logger lines are collected in `lines`. */
export async function openLog(dir: string, overrides: Partial<LogConfig> = {}, lines: string[] = []): Promise<PartitionLog> {
  return PartitionLog.open(dir, testConfig(overrides), (line) => lines.push(line));
}

/** A batch of `count` records with values of `valueBytes` and timestamps `timestamp + i`. */
export function makeBatch(count: number, options: {timestamp?: number; valueBytes?: number; tag?: string} = {}): Buffer {
  const timestamp = options.timestamp ?? 1_000_000;
  const records: RecordInput[] = Array.from({length: count}, (_, i) => ({
    key: `${options.tag ?? 'k'}-${i}`,
    value: 'x'.repeat(options.valueBytes ?? 10),
    timestamp: timestamp + i,
  }));
  return encodeRecordBatch({records});
}

/** [baseOffset, lastOffset] of each batch in a read result. */
export function batchRanges(bytes: Buffer): Array<[number, number]> {
  return [...iterateBatches(bytes)].map(({header}) => [header.baseOffset, header.lastOffset]);
}
