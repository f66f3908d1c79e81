import pg from 'pg';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {copiesBy, kcatRecords, type KcatRecord} from '../helpers/outbox.js';
import {startTestPostgres, type TestPostgres} from '../helpers/postgres.js';

let tb: TestBroker;
let pgs: TestPostgres;
beforeAll(async () => {
  [tb, pgs] = await Promise.all([startTestBroker(), startTestPostgres()]);
}, 60_000);
afterAll(async () => {
  await pgs?.stop();
  await tb?.stop();
});

interface Report {
  type: string;
  ok: boolean;
  runId: string;
  counts: Record<string, number>;
  invariants: Array<{name: string; ok: boolean; detail: string; skipped?: boolean}>;
}
type Line = {type: string; [k: string]: unknown};
const COUNT = 80;

async function outbox(...args: string[]) {
  const res = await runCli(['scenario', 'outbox', '--brokers', tb.bootstrap, '--count', String(COUNT), '--output', 'json', ...args], {timeoutMs: 240_000});
  const events = res.code === 0 || res.code === 3 ? res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line) : [];
  return {res, events, report: events.at(-1) as unknown as Report};
}

/** The order each record of a run is about, from the event payload or the change event's outbox row. */
function orderOf(r: KcatRecord): string | undefined {
  const v = JSON.parse(r.value) as {orderId?: string; after?: {aggregate_id?: string}};
  return v.orderId ?? v.after?.aggregate_id;
}
const ofRun = (records: KcatRecord[], runId: string) => records.filter((r) => orderOf(r)?.startsWith(`o-${runId}-`));

describe('kpat scenario outbox', () => {
  it('on PGlite: the dual write loses the events of its crashes and of the outage, the outbox none; the relay crash copies are dropped by event id', async () => {
    const {res, report, events} = await outbox('--seed', '7', '--app-crash', '2', '--outage', '1500ms', '--relay-crash', '1');
    expect(res.code, res.stderr).toBe(0);
    expect(report.invariants.map((i) => [i.name, i.ok])).toEqual([
      ['outbox-nothing-lost', true],
      ['no-event-without-order', true],
      ['outbox-applied-once', true],
      ['relay-crash-copies-dropped', true],
    ]);
    const c = report.counts;
    expect(c['dual-write.orders']).toBe(COUNT);
    expect(c['outbox.orders']).toBe(COUNT);
    // Every dual-write loss is a crash between commit and produce or a produce that failed during the outage.
    expect(c['dual-write.appCrashes']).toBe(2);
    expect(c['dual-write.sendFailures']).toBeGreaterThan(0);
    expect(c['dual-write.ordersWithoutEvent']).toBe(c['dual-write.appCrashes']! + c['dual-write.sendFailures']!);
    expect(c['outbox.ordersWithoutEvent']).toBe(0);
    expect(c['outbox.appCrashes']).toBe(2);
    expect(c['outbox.relayCrashes']).toBe(1);
    expect(c['outbox.duplicatesDropped']).toBeGreaterThan(0);
    expect(events.some((e) => e.type === 'outbox-fault' && e.fault === 'broker-down' && e.variant === 'outbox')).toBe(true);
    expect(events.filter((e) => e.type === 'outbox-variants').length).toBeGreaterThan(0);

    // kcat, an independent client, agrees: the outbox topic has every order, some twice (same event id); the dual-write topic misses the lost ones.
    const ob = ofRun(await kcatRecords(tb.bootstrap, 'orders.outbox.v1'), report.runId);
    const perOrder = copiesBy(ob, orderOf);
    expect(perOrder.size).toBe(COUNT);
    const perEvent = copiesBy(ob, (r) => r.headers.id);
    expect(perEvent.size).toBe(COUNT);
    expect(ob.length - perEvent.size).toBe(c['outbox.duplicatesDropped']);
    const dw = ofRun(await kcatRecords(tb.bootstrap, 'orders.dual-write.v1'), report.runId);
    expect(copiesBy(dw, orderOf).size).toBe(COUNT - c['dual-write.ordersWithoutEvent']!);
  }, 300_000);

  it('on a PostgreSQL server through logical replication: Debezium change events of the outbox, nothing lost, read back from the database and by kcat', async () => {
    const {res, report} = await outbox('--seed', '11', '--database-url', pgs.url, '--relay', 'logical', '--app-crash', '2', '--outage', '1500ms', '--relay-crash', '1');
    expect(res.code, res.stderr).toBe(0);
    expect(report.invariants.every((i) => i.ok && !i.skipped)).toBe(true);
    const c = report.counts;
    expect(c['outbox.ordersWithoutEvent']).toBe(0);
    expect(c['dual-write.ordersWithoutEvent']).toBeGreaterThanOrEqual(2);
    expect(c['outbox.duplicatesDropped']).toBeGreaterThan(0);

    const client = new pg.Client({connectionString: pgs.url});
    await client.connect();
    try {
      const prefix = `o-${report.runId}-`;
      const count = async (sql: string) => Number((await client.query(sql, [prefix])).rows[0].n);
      expect(await count('SELECT count(*) AS n FROM kpat_outbox.orders WHERE starts_with(id, $1)')).toBe(COUNT);
      expect(await count('SELECT count(*) AS n FROM kpat_outbox.outbox WHERE starts_with(aggregate_id, $1)')).toBe(COUNT);
      expect(await count('SELECT count(*) AS n FROM kpat_dual_write.orders WHERE starts_with(id, $1)')).toBe(COUNT);
      // The run's slot went with it: nothing keeps WAL for it any more.
      expect(Number((await client.query("SELECT count(*) AS n FROM pg_replication_slots WHERE slot_name LIKE 'kpat_outbox_%'")).rows[0].n)).toBe(0);
    } finally {
      await client.end();
    }
    const changes = ofRun(await kcatRecords(tb.bootstrap, 'orders.outbox.v1'), report.runId);
    expect(copiesBy(changes, orderOf).size).toBe(COUNT);
    for (const r of changes) {
      const v = JSON.parse(r.value) as {op: string; before: unknown; after: {id: string}; source: {connector: string; table: string; lsn: number; txId: number}};
      expect(v).toMatchObject({op: 'c', before: null, source: {connector: 'postgresql', table: 'outbox'}});
      expect(v.source.lsn).toBeGreaterThan(0);
      expect(r.key).toBe(JSON.stringify({id: v.after.id}));
    }
  }, 300_000);

  it('bad usage exits 2 naming the fix; a database that is not there exits 1', async () => {
    const noUrl = await runCli(['scenario', 'outbox', '--brokers', tb.bootstrap, '--relay', 'logical'], {timeoutMs: 120_000});
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/--relay logical .* pass --database-url postgres:\/\//);
    const notPg = await runCli(['scenario', 'outbox', '--brokers', tb.bootstrap, '--database-url', 'mysql://localhost/x'], {timeoutMs: 120_000});
    expect(notPg.code).toBe(2);
    expect(notPg.stderr).toMatch(/--database-url must be a PostgreSQL URL.*e\.g\. --database-url postgres:\/\//);
    const relays = await runCli(['scenario', 'outbox', '--brokers', tb.bootstrap, '--relays', '0'], {timeoutMs: 120_000});
    expect(relays.code).toBe(2);
    const other = await runCli(['scenario', 'outbox', '--brokers', tb.bootstrap, '--zombie', '1'], {timeoutMs: 120_000});
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--zombie does not apply to outbox/);
    const down = await runCli(['scenario', 'outbox', '--brokers', tb.bootstrap, '--database-url', 'postgres://kpat@127.0.0.1:1/kpat', '--count', '5'], {timeoutMs: 120_000});
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/no PostgreSQL server at 127\.0\.0\.1:1 — start one .* or fix --database-url/);
  }, 300_000);
});
