import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

const home = tempDir('kpat-replay-scenario-');
const scenario = (...args: string[]) => runCli(['scenario', 'replay', '--brokers', tb.bootstrap, '--count', '600', ...args], {env: {KPAT_HOME: home, KPAT_BROKERS: ''}, timeoutMs: 60_000});

type Line = {type: string; [k: string]: unknown};
type Report = {type: string; ok: boolean; counts: Record<string, number>; invariants: Array<{name: string; ok: boolean; detail: string}>};
const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

describe('kpat scenario replay', () => {
  it('rebuilds the buggy read model by replaying the group: before wrong, after equal to the from-scratch result, a second replay changes nothing', async () => {
    const res = await scenario('--output', 'json');
    expect(res.code).toBe(0);
    const out = lines(res.stdout);
    const report = out.at(-1) as unknown as Report;
    expect(report).toMatchObject({type: 'report', ok: true});
    expect(report.invariants.map((i) => [i.name, i.ok])).toEqual([
      ['bug-visible-before-replay', true],
      ['replay-covered-the-run', true],
      ['model-rebuilt-equals-from-scratch', true],
      ['second-replay-changes-nothing', true],
    ]);

    // The report shows the model per customer: before (wrong), after (right) = from scratch.
    const c = report.counts;
    expect(c.payments! + c.refunds!).toBe(600);
    expect(c.refunds).toBeGreaterThan(0);
    const customers = Object.keys(c).filter((k) => k.endsWith('.fromScratch')).map((k) => k.split('.')[1]!);
    expect(customers).toHaveLength(c.customers!);
    for (const id of customers) expect(c[`paidCents.${id}.after`]).toBe(c[`paidCents.${id}.fromScratch`]);
    expect(customers.filter((id) => c[`paidCents.${id}.before`] !== c[`paidCents.${id}.fromScratch`]).length).toBe(c['wrongCustomers.before']);
    expect(c['wrongCustomers.before']).toBeGreaterThan(0);
    expect(c['wrongCustomers.after']).toBe(0);
    expect(c).toMatchObject({replayed: 600, replayedAgain: 600, 'rowsWritten.replay': 600, 'rowsWritten.replayAgain': 0, 'alreadyApplied.replayAgain': 600});

    // The events carry what a live view needs: steps, plans, progress with rate/ETA/lag, the model at each step.
    expect(out.filter((l) => l.type === 'replay-phase').map((l) => l.phase)).toEqual(['build', 'fix', 'replay', 'replay-again', 'check']);
    const models = new Map(out.filter((l) => l.type === 'read-model').map((l) => [l.stage as string, l]));
    expect([...models.keys()].sort()).toEqual(['after', 'after-replay-again', 'before', 'from-scratch']);
    expect(models.get('after')!.totalsCents).toEqual(models.get('from-scratch')!.totalsCents);
    expect(models.get('after-replay-again')!.totalsCents).toEqual(models.get('after')!.totalsCents);
    expect(models.get('before')!.wrongCustomers).toBe(c['wrongCustomers.before']);
    const planned = out.filter((l) => l.type === 'replay-planned');
    expect(planned.map((p) => p.records)).toEqual([600, 600]);
    expect(out.filter((l) => l.type === 'replay-executed')).toHaveLength(2);
    const progress = out.filter((l) => l.type === 'replay-progress');
    expect(progress.every((p) => typeof p.ratePerSec === 'number' && typeof p.lag === 'number' && 'etaMs' in p && p.total === 600)).toBe(true);
    expect(progress.filter((p) => p.done).map((p) => [p.replayed, p.lag])).toEqual([
      [600, 0],
      [600, 0],
    ]);
  });

  it('plain: progress lines on stderr, the report on stdout; a second run on the same topics replays only its own records', async () => {
    const res = await scenario('--seed', '3');
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/^replay: replaying group kpat\.replay\.customer-totals to \S+Z, when this run's payments began$/m);
    expect(res.stderr).toMatch(/^\d+\/600 replayed \(\d+%\) · [\d.k]+\/s · (ETA \S+|ETA -|done) · lag \d+$/m);
    expect(res.stderr).toMatch(/^read model before: \d+ customers, together [\d.]+ · [1-9]\d* wrong$/m);
    expect(res.stderr).toMatch(/^read model after: \d+ customers, together [\d.]+ · 0 wrong$/m);
    expect(res.stdout).toMatch(/^scenario replay · run \w+ · OK in/m);
    expect(res.stdout).toMatch(/✓ model-rebuilt-equals-from-scratch — all \d+ customers equal the from-scratch totals/);
    expect(res.stdout).toMatch(/^replayed\s+600$/m);
  });

  it('exits 2 for flags the replay scenario has no use for', async () => {
    const res = await scenario('--fail-rate', '0.5');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--fail-rate does not apply to replay scenarios/);
  });
});
