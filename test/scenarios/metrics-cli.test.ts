import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {runCli, startJsonCli} from '../helpers/cli.js';
import {scrape, type Exposition} from '../helpers/prometheus.js';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

const fastRetry = fileURLToPath(new URL('../fixtures/retry-fast.yaml', import.meta.url));

/** The sum of a counter's samples whose labels include `labels`. */
const total = (m: Exposition, name: string, labels: Record<string, string> = {}) =>
  m.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);

describe('kpat scenario … --metrics-port', () => {
  it('serves the run\'s pattern counters, which match its report, and waits at the end for one last scrape', async () => {
    const run = startJsonCli(['scenario', fastRetry, '--brokers', tb.bootstrap, '--count', '60', '--rate', '0', '--metrics-port', '0', '--output', 'json'], {killAfterMs: 120_000});
    const lines = await run.until('the report', (ls) => ls.some((l) => l.type === 'report'), 110_000);
    const url = lines.find((l) => l.type === 'metrics')!.url as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const report = lines.find((l) => l.type === 'report') as {counts: Record<string, number>};
    // The run is over but still serving: this scrape sees its final counts.
    const m = await scrape(url);
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toMatch(/waiting up to 15 s for a last scrape/);

    // Records are handled on the source topic or on a rung (each rung reads with its own group).
    expect(total(m, 'kpat_pattern_records_handled_total')).toBe(report.counts.handled);
    expect(total(m, 'kpat_pattern_records_handled_total', {topic: 'fast.orders.v1', group: 'kpat.test.retry-fast'})).toBeGreaterThan(0);
    expect(total(m, 'kpat_pattern_records_handled_total', {topic: 'fast.orders.v1.retry.300ms', group: 'kpat.test.retry-fast.retry.300ms'})).toBeGreaterThan(0);
    expect(total(m, 'kpat_pattern_dead_lettered_total', {topic: 'fast.orders.v1', dlt_topic: 'fast.orders.v1.dlt'})).toBe(report.counts.deadLettered);
    for (const [name, n] of Object.entries(report.counts)) {
      if (name.startsWith('deadLettered.')) expect(total(m, 'kpat_pattern_dead_lettered_total', {reason: name.slice('deadLettered.'.length)})).toBe(n);
      if (name.startsWith('onRung.')) expect(total(m, 'kpat_pattern_retried_total', {rung: name.slice('onRung.'.length)})).toBe(n);
    }
    expect(report.counts.deadLettered).toBeGreaterThan(0);
    expect(Object.keys(report.counts).some((k) => k.startsWith('onRung.') && report.counts[k]! > 0)).toBe(true);
  }, 130_000);

  it('refuses a port out of range with exit 2, naming the flag', async () => {
    const res = await runCli(['scenario', 'dlt', '--brokers', tb.bootstrap, '--metrics-port', '70000']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--metrics-port must be a whole number from 0 to 65535/);
  });
});
