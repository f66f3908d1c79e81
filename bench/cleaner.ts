/**
 * The log cleaner's rate: an in-process partition log filled with many versions of few keys
 * (sealed segments only, as the cleaner sees them), then one clean. MB/s counts the sealed bytes
 * the cleaner read (and rewrote) per second, fsyncs of the cleaned segments included.
 *
 * From run.ts: `printFigures('log cleaner', [await cleanerThroughput()])`.
 * Alone: `npm run build && node dist/bench/cleaner.js`.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {cleanLog} from '../src/broker/log/cleaner.js';
import {DEFAULT_LOG_CONFIG, PartitionLog} from '../src/broker/log/index.js';
import {encodeRecordBatch} from '../src/broker/protocol/record-batch.js';
import {printFigures, timed, type Figure} from './harness.js';

export interface CleanerBenchOptions {
  /** Bytes of records to write before cleaning. */
  totalBytes?: number;
  valueBytes?: number;
  keys?: number;
  recordsPerBatch?: number;
  compression?: 'none' | 'gzip';
}

export async function cleanerThroughput(options: CleanerBenchOptions = {}): Promise<Figure> {
  const {totalBytes = 64 * 1024 * 1024, valueBytes = 100, keys = 1000, recordsPerBatch = 100, compression = 'none'} = options;
  const dir = mkdtempSync(join(tmpdir(), 'kpat-bench-cleaner-'));
  const log = await PartitionLog.open(dir, {...DEFAULT_LOG_CONFIG, segmentBytes: 8 * 1024 * 1024, fsync: 'always'}, () => {});
  try {
    const value = 'x'.repeat(valueBytes);
    const now = Date.now();
    let seq = 0;
    while (log.sizeBytes < totalBytes) {
      const records = Array.from({length: recordsPerBatch}, () => ({key: `key-${seq++ % keys}`, value, timestamp: now}));
      log.append(encodeRecordBatch({records, compression}), now);
    }
    log.rollIfExpired(now + DEFAULT_LOG_CONFIG.segmentMs); // everything sealed: the whole log is cleanable
    const records = seq;
    const {seconds, value: result} = await timed(() =>
      cleanLog(log, {minCleanableDirtyRatio: 0, minCompactionLagMs: 0, deleteRetentionMs: 0}, now),
    );
    if (!result) throw new Error('the cleaner found nothing to clean');
    return {name: `cleaner, ${valueBytes} B values, ${keys} keys, ${compression}`, records, bytes: result.bytesRead, seconds};
  } finally {
    await log.close();
    rmSync(dir, {recursive: true, force: true});
  }
}

/** The `cleaner` section of `npm run bench`: the log cleaner's rate, uncompressed and gzip. */
export async function cleanerSection(): Promise<void> {
  printFigures('log cleaner', [await cleanerThroughput(), await cleanerThroughput({compression: 'gzip', totalBytes: 16 * 1024 * 1024})]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await cleanerSection();
