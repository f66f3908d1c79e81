import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {spawnBrokerProcess} from '../test/helpers/broker-process.js';
import {readStackStateFile} from '../src/stack/state.js';

export {RUN_JS} from '../test/helpers/cli.js';

export interface BenchBroker {
  bootstrap: string;
  /** The broker's Prometheus endpoint, when started with --metrics-port. */
  metricsUrl?: string;
  pid: number;
  stop(): Promise<void>;
}

/** The broker in its own process, as `kpat up` runs it, on a temp data dir removed at stop. */
export async function spawnBroker(opts: {fsync?: 'always' | 'never'; /** More `kpat broker start` flags. */ args?: string[]} = {}): Promise<BenchBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'kpat-bench-'));
  const broker = await spawnBrokerProcess(dir, {fsync: opts.fsync ?? 'always', args: opts.args});
  return {
    bootstrap: broker.bootstrap,
    metricsUrl: readStackStateFile(join(dir, 'stack.json'))?.metricsUrl,
    pid: broker.child.pid!,
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
  /** With repetitions: how many, and the fastest and slowest run's seconds. */
  runs?: {count: number; min: number; max: number};
}

/**
 * Repeats a measurement until it has run at least `minSeconds` in total and `minRuns`
 * times, and keeps the median run: one short run says more about the machine's
 * moment than about the code.
 */
export async function repeated(once: (round: number) => Promise<Figure>, minSeconds = 2, minRuns = 3): Promise<Figure> {
  const figures: Figure[] = [];
  let total = 0;
  while (figures.length < minRuns || total < minSeconds) {
    const f = await once(figures.length);
    figures.push(f);
    total += f.seconds;
  }
  const secs = figures.map((f) => f.seconds);
  return {...figures[0]!, seconds: median(secs), runs: {count: figures.length, min: Math.min(...secs), max: Math.max(...secs)}};
}

export function printFigures(title: string, figures: Figure[]): void {
  console.log(`\n${title}`);
  const rows = figures.map((f) => [
    f.name,
    f.records.toLocaleString('en-US'),
    Math.round(f.records / f.seconds).toLocaleString('en-US'),
    (f.bytes / f.seconds / 1e6).toFixed(1),
    f.seconds.toFixed(2),
    f.runs ? `${f.runs.count} (${f.runs.min.toFixed(2)}–${f.runs.max.toFixed(2)} s)` : '1',
  ]);
  const head = ['case', 'records', 'records/s', 'MB/s', 'seconds', 'runs (spread)'];
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
