import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {runCli, RUN_JS} from '../helpers/cli.js';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

type Line = {type: string; [k: string]: unknown};
const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const reportOf = (stdout: string) => lines(stdout).at(-1) as unknown as {type: string; ok: boolean; counts: Record<string, number> & {malformed: number; invalid: number; good: number; handled: number; deadLettered: number; produced: number; retriedThenHandled: number}; invariants: Array<{name: string; ok: boolean; detail: string}>};
const fastRetry = fileURLToPath(new URL('../fixtures/retry-fast.yaml', import.meta.url));

describe('kpat scenario dlt', () => {
  it('ends with an ok report whose invariants were read from the topics; poison pills are in the DLT', async () => {
    const res = await runCli(['scenario', 'dlt', '--brokers', tb.bootstrap, '--count', '200', '--rate', '0', '--poison-rate', '0.1', '--seed', '3', '--output', 'json']);
    expect(res.code).toBe(0);
    const out = lines(res.stdout);
    const report = reportOf(res.stdout);
    expect(report.type).toBe('report');
    expect(report.ok).toBe(true);
    expect(report.counts.produced).toBe(200);
    expect(report.counts.malformed + report.counts.invalid).toBeGreaterThan(5);
    expect(report.counts.deadLettered).toBe(report.counts.malformed + report.counts.invalid);
    expect(report.counts.handled).toBe(report.counts.good);
    expect(report.invariants.map((i) => i.name)).toEqual(['every-record-accounted', 'poison-pills-dead-lettered', 'good-records-dead-lettered-only-after-retries', 'side-effects-once', 'no-head-of-line-blocking']);
    // The same facts stream as events: one dead-lettered event per poison pill.
    expect(out.filter((e) => e.type === 'dead-lettered').length).toBe(report.counts.deadLettered);
  });

  it('redrive sends transient failures back; once the dependency is fixed they are handled; a second redrive sends nothing', async () => {
    const broken = await runCli(['scenario', 'dlt', '--brokers', tb.bootstrap, '--count', '60', '--rate', '0', '--poison-rate', '0', '--fail-rate', '1', '--recover-after', '1h', '--output', 'json']);
    const first = reportOf(broken.stdout);
    expect(first.counts['deadLettered.retries-exhausted']).toBe(60);

    const sent = lines((await runCli(['dlt', 'redrive', 'orders.v1.dlt', '--brokers', tb.bootstrap, '--filter', 'TransientError', '--json'])).stdout).at(-1)!;
    expect(sent.sent).toBeGreaterThanOrEqual(60);
    const fixed = await runCli(['scenario', 'dlt', '--brokers', tb.bootstrap, '--resume', '--fail-rate', '0', '--output', 'json']);
    const after = reportOf(fixed.stdout);
    expect(fixed.code).toBe(0);
    expect(after.ok).toBe(true);
    expect(after.counts.handled).toBe(60);
    expect(after.counts.deadLettered).toBe(0);
    const again = lines((await runCli(['dlt', 'redrive', 'orders.v1.dlt', '--brokers', tb.bootstrap, '--filter', 'TransientError', '--json'])).stdout).at(-1)!;
    expect(again.sent).toBe(0);
    expect(again.alreadyRedriven).toBe(sent.sent);

    const inspect = lines((await runCli(['dlt', 'inspect', 'orders.v1.dlt', '--brokers', tb.bootstrap, '--json'])).stdout);
    const group = inspect.find((l) => l.type === 'dead-letter-group' && l.errorClass === 'TransientError')!;
    expect(group.reason).toBe('retries-exhausted');
    expect((group.samples as Array<{original: {topic: string}}>)[0]!.original.topic).toBe('orders.v1');
  }, 60_000);

  it('exits 2 for an unknown scenario or a bad flag value, naming the fix', async () => {
    const unknown = await runCli(['scenario', 'nope', '--brokers', tb.bootstrap]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/available: .*dlt.*retry/);
    const bad = await runCli(['scenario', 'dlt', '--brokers', tb.bootstrap, '--fail-rate', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--fail-rate must be a number from 0 to 1/);
  });
});

describe('kpat scenario retry', () => {
  it('survives SIGKILL mid-run: resumed, every record still ends handled or dead-lettered', async () => {
    const child = spawn(process.execPath, [RUN_JS, 'scenario', fastRetry, '--brokers', tb.bootstrap, '--output', 'json'], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, CI: 'true'}});
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    // Kill it once some records are on the retry rungs and the workload is still being sent.
    const deadline = Date.now() + 20_000;
    while (!/"type":"retry-scheduled"/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(/"type":"retry-scheduled"/);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(out).not.toMatch(/"type":"report"/);

    const resumed = await runCli(['scenario', fastRetry, '--brokers', tb.bootstrap, '--resume', '--output', 'json'], {timeoutMs: 60_000});
    const report = reportOf(resumed.stdout);
    expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
    expect(resumed.code).toBe(0);
    expect(report.counts.retriedThenHandled).toBeGreaterThan(0);
  }, 90_000);
});
