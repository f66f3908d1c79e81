import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {spawnBrokerProcess} from '../test/helpers/broker-process.js';

export {RUN_JS} from '../test/helpers/cli.js';

export interface BenchBroker {
  bootstrap: string;
  stop(): Promise<void>;
}

/** The broker in its own process, as `kpat up` runs it, on a temp data dir removed at stop. */
export async function spawnBroker(opts: {fsync?: 'always' | 'never'} = {}): Promise<BenchBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'kpat-bench-'));
  const broker = await spawnBrokerProcess(dir, {fsync: opts.fsync ?? 'always'});
  return {
    bootstrap: broker.bootstrap,
    async stop() {
      await broker.stop();
      rmSync(dir, {recursive: true, force: true});
    },
  };
}

export interface Figure {
  name: string;
  records: number;
  bytes: number;
  seconds: number;
}

export function printFigures(title: string, figures: Figure[]): void {
  console.log(`\n${title}`);
  const rows = figures.map((f) => [
    f.name,
    f.records.toLocaleString('en-US'),
    Math.round(f.records / f.seconds).toLocaleString('en-US'),
    (f.bytes / f.seconds / 1e6).toFixed(1),
    f.seconds.toFixed(2),
  ]);
  const head = ['case', 'records', 'records/s', 'MB/s', 'seconds'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

export async function timed<T>(fn: () => Promise<T>): Promise<{seconds: number; value: T}> {
  const start = performance.now();
  const value = await fn();
  return {seconds: (performance.now() - start) / 1000, value};
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
