import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {kcat} from '../helpers/kcat.js';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

interface Report {
  type: string;
  ok: boolean;
  runId: string;
  counts: Record<string, number>;
  invariants: Array<{name: string; ok: boolean; detail: string; skipped?: boolean}>;
}
type Line = {type: string; [k: string]: unknown};
const parse = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const MODES = ['at-least-once', 'idempotent', 'transactional'];
const COUNT = 60;

async function eos(...args: string[]) {
  const res = await runCli(['scenario', 'exactly-once', '--brokers', tb.bootstrap, '--count', String(COUNT), '--output', 'json', ...args], {timeoutMs: 120_000});
  const events = res.code === 0 || res.code === 3 ? parse(res.stdout) : [];
  return {res, events, report: events.at(-1) as unknown as Report};
}

/** A run's ledger entries on an output topic as kcat reads them with the given isolation: entry id → copies. */
async function entriesOf(topic: string, runId: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<Map<string, number>> {
  const out = await kcat(['-b', tb.bootstrap, '-t', topic, '-C', '-e', '-q', '-X', `isolation.level=${isolation}`, '-f', '%s\\n']);
  const copies = new Map<string, number>();
  for (const line of out.split('\n').filter(Boolean)) {
    const {entryId} = JSON.parse(line) as {entryId: string};
    if (entryId.startsWith(`p-${runId}-`)) copies.set(entryId, (copies.get(entryId) ?? 0) + 1);
  }
  return copies;
}

/** The per-pipeline counts of a report (what the seed decides). */
const pipelineCounts = (r: Report) => Object.fromEntries(Object.entries(r.counts).filter(([k]) => MODES.some((m) => k.startsWith(`${m}.`))));

describe('kpat scenario exactly-once', () => {
  let first: Report;

  it('with the default faults and failed records: nothing lost anywhere, the transactional output exactly once, the others with duplicates', async () => {
    const {res, report, events} = await eos('--seed', '42', '--fail-rate', '0.05');
    expect(res.code).toBe(0);
    expect(report).toMatchObject({type: 'report', ok: true});
    expect(report.invariants.map((i) => [i.name, i.ok])).toEqual([
      ['nothing-lost', true],
      ['transactional-exactly-once', true],
      ['transactional-offsets-at-end', true],
      ['zombie-fenced', true],
    ]);
    for (const m of MODES) expect(report.counts[`${m}.missing`]).toBe(0);
    expect(report.counts['transactional.duplicates']).toBe(0);
    expect(report.counts['transactional.outputs']).toBe(COUNT);
    expect(report.counts['transactional.fenced']).toBeGreaterThanOrEqual(1);
    // The lesson: the dropped response duplicates only the at-least-once pipeline; the crash and zombie both non-transactional ones.
    expect(report.counts['at-least-once.responsesDropped']).toBeGreaterThan(0);
    expect(report.counts['at-least-once.duplicates']).toBeGreaterThan(report.counts['idempotent.duplicates']!);
    expect(report.counts['idempotent.duplicates']).toBeGreaterThan(0);
    const notes = events.filter((e) => e.type === 'scenario-note').map((e) => e.text as string);
    expect(notes.find((t) => t.startsWith('at-least-once:'))).toMatch(/dropped Produce response/);
    expect(notes.find((t) => t.startsWith('idempotent:'))).not.toMatch(/dropped/);
    expect(events.some((e) => e.type === 'eos-batch')).toBe(true);
    // Injected failures abort the unit in every pipeline; they cost no duplicates (nothing was produced yet).
    expect(events.filter((e) => e.type === 'eos-fault' && e.fault === 'failure').map((e) => e.mode)).toEqual(expect.arrayContaining(MODES));
    first = report;

    // kcat agrees: read_committed sees each payment once; read_uncommitted also the aborted copies.
    const committed = await entriesOf('ledger.transactional.v1', report.runId, 'read_committed');
    expect(committed.size).toBe(COUNT);
    expect([...committed.values()].every((n) => n === 1)).toBe(true);
    expect(report.counts['transactional.abortedTransactions']).toBeGreaterThan(0);
    const uncommitted = await entriesOf('ledger.transactional.v1', report.runId, 'read_uncommitted');
    const copies = [...uncommitted.values()].reduce((a, b) => a + b, 0);
    expect(copies).toBe(COUNT + report.counts['transactional.uncommittedOnly']!);
    expect(copies).toBeGreaterThan(COUNT);
    const atLeastOnce = await entriesOf('ledger.at-least-once.v1', report.runId, 'read_committed');
    expect(atLeastOnce.size).toBe(COUNT);
    expect([...atLeastOnce.values()].reduce((a, b) => a + b, 0)).toBe(COUNT + report.counts['at-least-once.duplicates']!);
  });

  it('the same seed again on the same broker gives the same counts, and neither run sees the other’s records', async () => {
    const {res, report} = await eos('--seed', '42', '--fail-rate', '0.05');
    expect(res.code).toBe(0);
    expect(report.runId).not.toBe(first.runId);
    expect(pipelineCounts(report)).toEqual(pipelineCounts(first));
    expect(report.counts.skippedOtherRuns).toBe(0);
    // The first run's entries are still exactly its own.
    expect((await entriesOf('ledger.transactional.v1', first.runId, 'read_committed')).size).toBe(COUNT);
    expect((await entriesOf('ledger.transactional.v1', report.runId, 'read_committed')).size).toBe(COUNT);
  });

  it('--faults off: the baseline, every pipeline writes each payment once', async () => {
    const {res, report} = await eos('--faults', 'off', '--seed', '3');
    expect(res.code).toBe(0);
    for (const m of MODES) expect([m, report.counts[`${m}.outputs`], report.counts[`${m}.duplicates`], report.counts[`${m}.responsesDropped`]]).toEqual([m, COUNT, 0, 0]);
    expect(report.invariants.find((i) => i.name === 'zombie-fenced')).toMatchObject({ok: true, skipped: true});
  });

  it('--drop-responses 2 is bad usage: exit 2 naming the fix', async () => {
    const {res} = await eos('--drop-responses', '2');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--drop-responses must be a number from 0 to 1, got "2"');
  });
});
