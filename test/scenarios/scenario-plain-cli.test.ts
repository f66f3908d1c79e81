import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

const plain = (...args: string[]) => runCli(['scenario', ...args, '--brokers', tb.bootstrap, '--output', 'plain'], {timeoutMs: 90_000});
const stderrLines = (stderr: string) => stderr.split('\n').filter(Boolean);

describe('kpat scenario in plain output', () => {
  it('retry: says what it waits for (the rung and when its next record is due) instead of repeating its progress', async () => {
    // Every call fails until 4s into the run: the orders climb to the 5s rung and wait there.
    const res = await plain('retry', '--count', '30', '--rate', '0', '--poison-rate', '0', '--fail-rate', '1', '--recover-after', '4s');
    expect(res.code).toBe(0);
    const lines = stderrLines(res.stderr);
    expect(lines.some((l) => /^waiting: 30 records on orders\.v1\.retry\.5s, next due in \d+\.\ds$/.test(l))).toBe(true);
    const progress = lines.filter((l) => /^\d+\/30 done · /.test(l));
    expect(progress.length).toBeGreaterThan(0);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).not.toBe(progress[i - 1]);
    expect(res.stdout).toMatch(/· OK in /);
  }, 120_000);

  it('saga: its progress counts the orders that reached each step', async () => {
    const res = await plain('saga', '--count', '40', '--rate', '20', '--fail', 'inventory');
    expect(res.code).toBe(0);
    const last = stderrLines(res.stderr).filter((l) => l.startsWith('reached: ')).at(-1);
    expect(last).toMatch(/^reached: placed \d+ · paid \d+ · reserved 0 · completed 0 · cancelled \d+ · refunded \d+ · released 0 — under way: \d+ running, \d+ compensating$/);
  }, 120_000);
});
