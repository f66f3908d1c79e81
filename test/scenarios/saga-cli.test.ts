import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

interface Report {
  type: string;
  ok: boolean;
  counts: Record<string, number>;
  invariants: Array<{name: string; ok: boolean; detail: string}>;
}
type Line = {type: string; [k: string]: unknown};
const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const reportOf = (stdout: string) => lines(stdout).at(-1) as unknown as Report;
const SAGA_INVARIANTS = ['exactly-one-outcome', 'refund-when-charged-then-failed', 'stock-released-when-cancelled', 'never-completed-and-cancelled', 'money-adds-up', 'stock-never-negative'];

async function saga(...args: string[]) {
  const res = await runCli(['scenario', 'saga', '--brokers', tb.bootstrap, '--count', '60', '--rate', '60', '--output', 'json', ...args], {timeoutMs: 90_000});
  return {res, report: reportOf(res.stdout), events: lines(res.stdout)};
}

describe('kpat scenario saga', () => {
  it('--fail inventory: every order is cancelled and every charge refunded; the JSON report ends the output with ok', async () => {
    const {res, report, events} = await saga('--fail', 'inventory');
    expect(res.code).toBe(0);
    expect(report).toMatchObject({type: 'report', ok: true});
    expect(report.counts).toMatchObject({orders: 60, completed: 0, cancelled: 60});
    expect(report.counts['cancelled.inventoryRejected']! + report.counts['cancelled.paymentDeclined']!).toBe(60);
    expect(report.counts.refunds).toBe(60 - report.counts['cancelled.paymentDeclined']!);
    expect(report.invariants.map((i) => i.name)).toEqual(SAGA_INVARIANTS);
    // The saga board saw the same facts: compensated sagas end cancelled.
    const steps = events.filter((e) => e.type === 'saga-step');
    expect(steps.some((e) => e.event === 'PaymentRefunded')).toBe(true);
    expect(steps.filter((e) => e.event === 'OrderCancelled')).toHaveLength(60);
  });

  for (const faults of [['--fail-rate', '0.3'], ['--duplicate-rate', '0.2'], ['--crash', 'payment'], ['--instances', 'payment=3']]) {
    it(`invariants hold with ${faults.join(' ')}`, async () => {
      const {res, report} = await saga(...faults, '--seed', '5');
      expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
      expect(res.code).toBe(0);
      expect(report.counts.orders).toBe(60);
      expect(report.counts.completed! + report.counts.cancelled!).toBe(60);
      if (faults[0] === '--duplicate-rate') expect(report.counts.duplicateDeliveries).toBeGreaterThan(0);
      if (faults[0] === '--crash') expect(report.counts.crashes).toBe(1);
      if (faults[0] === '--fail-rate') expect(report.counts.refunds).toBeGreaterThan(0);
    });
  }

  it('cancels orders that miss their deadline and compensates what was done for them', async () => {
    const {res, report} = await saga('--slow', 'inventory=250ms', '--deadline', '400ms');
    expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
    expect(res.code).toBe(0);
    expect(report.counts['cancelled.deadline']).toBeGreaterThan(0);
    expect(report.counts.refunds).toBeGreaterThanOrEqual(report.counts['cancelled.deadline']! - report.counts['cancelled.paymentDeclined']!);
  });

  it('exits 3 when an invariant fails (sagas not settled in time)', async () => {
    const {res, report} = await saga('--slow', 'payment=300ms', '--timeout', '2s');
    expect(res.code).toBe(3);
    expect(report.ok).toBe(false);
    expect(report.invariants[0]).toMatchObject({name: 'finished-in-time', ok: false});
    expect(res.stderr).toMatch(/finished-in-time/);
  });

  it('refuses flags that do not apply, naming them', async () => {
    const res = await runCli(['scenario', 'saga', '--brokers', tb.bootstrap, '--poison-rate', '0.1']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--poison-rate does not apply to saga scenarios/);
    const bad = await runCli(['scenario', 'saga', '--brokers', tb.bootstrap, '--instances', 'billing=2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--instances must be one of order, payment, inventory, notification/);
  });
});

describe('kpat scenario saga finds its broker', () => {
  it('runs on an embedded broker when there is none, and says so', async () => {
    const res = await runCli(['scenario', 'saga', '--count', '10', '--output', 'json'], {env: {KPAT_HOME: tempDir('kpat-saga-none-'), KPAT_BROKERS: ''}, timeoutMs: 60_000});
    expect(res.code).toBe(0);
    expect(reportOf(res.stdout).ok).toBe(true);
    expect(res.stderr).toMatch(/started an embedded broker/);
  });

  it('uses a running `kpat up` stack', async () => {
    const home = tempDir('kpat-saga-up-');
    const env = {KPAT_HOME: home, KPAT_BROKERS: ''};
    expect((await runCli(['up', '--port', '0'], {env})).code).toBe(0);
    try {
      const res = await runCli(['scenario', 'saga', '--fail', 'inventory', '--count', '10', '--output', 'json'], {env, timeoutMs: 60_000});
      expect(res.code).toBe(0);
      expect(res.stderr).not.toMatch(/embedded/);
      expect(reportOf(res.stdout).ok).toBe(true);
      const topics = lines((await runCli(['topics', '--json'], {env})).stdout).map((t) => t.name);
      expect(topics).toEqual(expect.arrayContaining(['orders.v1', 'payments.v1', 'inventory.v1', 'orders.outcome.v1', 'notifications.v1']));
      // The dead-letter scenario shares orders.v1; its consumer group's first run starts after the saga's records.
      const dlt = await runCli(['scenario', 'dlt', '--count', '50', '--output', 'json'], {env, timeoutMs: 60_000});
      expect(reportOf(dlt.stdout).invariants.filter((i) => !i.ok)).toEqual([]);
      expect(lines(dlt.stdout).filter((e) => e.type === 'dead-lettered').length).toBe(reportOf(dlt.stdout).counts.deadLettered);
    } finally {
      await runCli(['down', '--purge'], {env});
    }
    // Longer than its two runs' own limits together, so `down` always runs and no broker is left behind.
  }, 150_000);
});
