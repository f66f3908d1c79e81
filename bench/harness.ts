import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {readStackStateFile} from '../src/broker/stack/state.js';

export const RUN_JS = join(fileURLToPath(new URL('../..', import.meta.url)), 'bin', 'run.js');

export interface BenchBroker {
  bootstrap: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The broker in its own process, as `kpat up` runs it (fsync=always unless told otherwise). */
export async function spawnBroker(opts: {fsync?: 'always' | 'never'} = {}): Promise<BenchBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'kpat-bench-'));
  const stateFile = join(dir, 'stack.json');
  const child = spawn(process.execPath, [RUN_JS, 'broker', 'start', '--port', '0', '--data-dir', join(dir, 'data'), '--state-file', stateFile, '--fsync', opts.fsync ?? 'always'], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  for (let i = 0; i < 400; i++) {
    const state = readStackStateFile(stateFile);
    if (state && state.pid === child.pid) {
      return {
        bootstrap: `${state.host}:${state.port}`,
        child,
        async stop() {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
          rmSync(dir, {recursive: true, force: true});
        },
      };
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error('broker did not start');
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
