import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {kcat} from '../helpers/kcat.js';

// kpat scenario window: seeded readings, two windowed averages, a crash and restore midway,
// and a report whose invariants compare every result with the scenario's own recomputation.
// The late records are counted here once more, from the readings topic read with kcat.

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

const home = tempDir('kpat-window-scenario-');
const scenario = (...args: string[]) => runCli(['scenario', 'window', '--brokers', tb.bootstrap, '--count', '800', ...args], {env: {KPAT_HOME: home, KPAT_BROKERS: ''}, timeoutMs: 90_000});

type Line = {type: string; [k: string]: unknown};
type Report = {type: string; ok: boolean; runId: string; counts: Record<string, number>; invariants: Array<{name: string; ok: boolean; detail: string}>};
const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const reportOf = (stdout: string) => lines(stdout).at(-1) as unknown as Report;

const SIZE = 60_000;
const GRACE = 10_000;

/** This run's readings, per partition in offset order: timestamp only (kcat's own reading of the topic). */
async function readings(runId: string): Promise<Map<number, number[]>> {
  const out = await kcat(['-b', tb.bootstrap, '-C', '-t', 'sensors.temperature.v1', '-e', '-q', '-f', '%p %o %T %h\n']);
  const byPartition = new Map<number, Array<{offset: number; ts: number}>>();
  for (const line of out.split('\n').filter(Boolean)) {
    const [p, o, ts, headers] = line.split(' ');
    if (!headers?.split(',').includes(`kpat-run-id=${runId}`)) continue;
    byPartition.set(Number(p), [...(byPartition.get(Number(p)) ?? []), {offset: Number(o), ts: Number(ts)}]);
  }
  return new Map([...byPartition].map(([p, rs]) => [p, rs.sort((a, b) => a.offset - b.offset).map((r) => r.ts)]));
}

/** Late by Kafka's grace rule: the newest window holding the timestamp ends (plus grace) at or before the partition's stream time. */
function countLate(byPartition: Map<number, number[]>, advance: number): number {
  let late = 0;
  for (const stamps of byPartition.values()) {
    let streamTime = -Infinity;
    for (const ts of stamps) {
      streamTime = Math.max(streamTime, ts);
      const newestEnd = ts - (ts % advance) + SIZE;
      if (newestEnd + GRACE <= streamTime) late++;
    }
  }
  return late;
}

describe('kpat scenario window', () => {
  it('crashes and restores its aggregators, and every invariant holds; its late count matches one made here from the topic', async () => {
    const res = await scenario('--output', 'json');
    expect(res.code).toBe(0);
    const out = lines(res.stdout);
    const report = reportOf(res.stdout);
    expect(report).toMatchObject({type: 'report', ok: true});
    const names = ['results-equal-oracle', 'every-closed-window-emitted', 'no-result-twice', 'late-records-as-oracle', 'restored-after-crash'];
    expect(report.invariants.map((i) => [i.name, i.ok])).toEqual(['avg-60s', 'avg-60s-hop'].flatMap((a) => names.map((n) => [`${a}: ${n}`, true])));
    const c = report.counts;
    expect(c).toMatchObject({inputs: 800, crashes: 1, skippedOtherRuns: 0});
    expect(c['results.avg-60s']).toBe(c['expected.avg-60s']);
    expect(c['results.avg-60s']).toBeGreaterThan(0);
    expect(c['results.avg-60s-hop']).toBeGreaterThan(c['results.avg-60s']!);
    expect(c['restored.avg-60s']).toBeGreaterThan(0);
    expect(c['outOfOrder.avg-60s']).toBeGreaterThan(0);

    const byPartition = await readings(report.runId);
    expect([...byPartition.values()].reduce((n, r) => n + r.length, 0)).toBe(800);
    const late = countLate(byPartition, SIZE);
    expect(late).toBeGreaterThan(0);
    expect(c['late.avg-60s']).toBe(late);
    expect(c['late.avg-60s-hop']).toBe(countLate(byPartition, 20_000));

    // The events a view needs: the steps, the crash, the restore, results and late records.
    expect(out.filter((l) => l.type === 'window-phase').map((l) => l.phase)).toEqual(['aggregate', 'crash', 'restore', 'check']);
    // A hard crash: no last commit, so each aggregator lost what it had read past its last commit, and did it again after the restore.
    const crashes = out.filter((l) => l.type === 'window-crash');
    expect(crashes).toHaveLength(2);
    for (const crash of crashes) expect(crash.lostRecords).toBeGreaterThan(0);
    expect(c['lostAtCrash.avg-60s']).toBeGreaterThan(0);
    expect(c['lostAtCrash.avg-60s-hop']).toBeGreaterThan(0);
    expect(out.some((l) => l.type === 'window-event' && (l.event as Line).type === 'restore-done')).toBe(true);
    expect(out.filter((l) => l.type === 'window-event' && (l.event as Line).type === 'late-record')).toHaveLength(c['late.avg-60s']! + c['late.avg-60s-hop']!);
  });

  it('gives the same counts for the same seed, and a second run on the same broker does not mix with the first', async () => {
    const first = reportOf((await scenario('--output', 'json', '--seed', '11', '--crash-at', '0')).stdout);
    const second = reportOf((await scenario('--output', 'json', '--seed', '11', '--crash-at', '0')).stdout);
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(true);
    expect(second.runId).not.toBe(first.runId);
    const results = (r: Report) => Object.fromEntries(Object.entries(r.counts).filter(([k]) => /^(inputs|results|expected|late|outOfOrder)/.test(k)));
    expect(results(second)).toEqual(results(first));
    expect(second.counts.crashes).toBe(0);
    expect(second.invariants.find((i) => i.name === 'avg-60s: restored-after-crash')).toMatchObject({ok: true, skipped: true});
  });

  it('two runs at the same time on one broker each check only their own readings and results', async () => {
    const [a, b] = await Promise.all([scenario('--output', 'json', '--seed', '21'), scenario('--output', 'json', '--seed', '22')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const ra = reportOf(a.stdout);
    const rb = reportOf(b.stdout);
    expect(ra.runId).not.toBe(rb.runId);
    for (const r of [ra, rb]) {
      expect(r.invariants.filter((i) => !i.ok)).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.counts.inputs).toBe(800);
      // Each skipped the other's readings on the shared topic.
      expect(r.counts.skippedOtherRuns).toBeGreaterThan(0);
      expect(r.counts['results.avg-60s']).toBe(r.counts['expected.avg-60s']);
      expect(r.counts['results.avg-60s-hop']).toBe(r.counts['expected.avg-60s-hop']);
    }
  });

  it('refuses a bad flag value with exit 2, naming the flag', async () => {
    const res = await scenario('--crash-at', '2');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--crash-at must be a number from 0 to 1, got "2"/);
  });
});
