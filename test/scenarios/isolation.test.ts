import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Publisher} from '../../src/kafka/publisher.js';
import {headerText, int32, int64, RetryHeader} from '../../src/patterns/headers.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {runCli, RUN_JS} from '../helpers/cli.js';
import {readTopic} from '../helpers/read-topic.js';

/**
 * Scenarios share topics (saga, dlt and retry all use orders.v1 and its .dlt):
 * each run's participants handle only the run's own records. Everything else
 * is skipped and counted, never handled or dead-lettered.
 */

type Line = {type: string; [k: string]: unknown};
type Report = {type: 'report'; scenario: string; runId: string; ok: boolean; counts: Record<string, number>; invariants: Array<{name: string; ok: boolean; detail: string}>};
type Skipped = {type: 'skipped'; group: string; record: {topic: string; partition: number; offset: number}; reason: string};
const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const reportOf = (stdout: string) => lines(stdout).at(-1) as unknown as Report;
const fastRetry = fileURLToPath(new URL('../fixtures/retry-fast.yaml', import.meta.url));
const RUN_HEADER = 'kpat-run-id';

/** Records of a topic counted per run id ("(none)" for records without one). */
async function perRun(tb: TestBroker, topic: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await readTopic(tb.conn, topic)) {
    const id = headerText(r, RUN_HEADER) ?? '(none)';
    out[id] = (out[id] ?? 0) + 1;
  }
  return out;
}

/** Runs a scenario with --output json; once it has started, `inject` writes foreign records into its topics. */
async function runScenario(tb: TestBroker, args: string[], inject?: () => Promise<Array<{topic: string; partition: number; offset: number}>>) {
  let injected: Promise<Array<{topic: string; partition: number; offset: number}>> | undefined;
  const res = await runCli(['scenario', ...args, '--brokers', tb.bootstrap, '--output', 'json'], {
    timeoutMs: 60_000,
    onOutput: (stdout) => {
      if (inject && !injected && stdout.includes('"type":"scenario-started"')) injected = inject();
    },
  });
  const report = reportOf(res.stdout);
  expect(report.invariants.filter((i) => !i.ok), res.stderr).toEqual([]);
  expect(res.code).toBe(0);
  return {report, events: lines(res.stdout), positions: (await injected) ?? []};
}

const at = (p: {topic: string; partition: number; offset: number}) => `${p.topic}/${p.partition}/${p.offset}`;
const skippedAt = (events: Line[]) => new Set(events.filter((e): e is Line & Skipped => e.type === 'skipped').map((e) => at(e.record)));
const touchedAt = (events: Line[]) =>
  new Set(events.filter((e) => ['handled', 'attempt-failed', 'retry-scheduled', 'retry-held', 'dead-lettered'].includes(e.type)).map((e) => at(e.record as Skipped['record'])));

describe('scenarios one after another on one broker', () => {
  let tb: TestBroker;
  beforeAll(async () => {
    tb = await startTestBroker();
  });
  afterAll(async () => tb.stop());

  it('saga, dlt, saga, retry, dlt: the DLT holds exactly each run’s own dead letters, every report ok', async () => {
    const reports: Report[] = [];
    const saga = ['saga', '--count', '20', '--rate', '0'];
    const dlt = (seed: string) => ['dlt', '--count', '60', '--rate', '0', '--poison-rate', '0.2', '--seed', seed];
    const retry = ['retry', '--count', '40', '--rate', '0', '--poison-rate', '0.1', '--fail-rate', '0.5', '--recover-after', '3s'];
    for (const args of [saga, dlt('3'), saga, retry, dlt('5')]) reports.push((await runScenario(tb, args)).report);

    expect(reports.map((r) => [r.scenario, r.ok])).toEqual([
      ['saga', true],
      ['dlt', true],
      ['saga', true],
      ['retry', true],
      ['dlt', true],
    ]);
    const [, dlt1, , retried, dlt2] = reports as [Report, Report, Report, Report, Report];
    for (const r of [dlt1, retried, dlt2]) expect(r.counts.deadLettered).toBeGreaterThan(0);
    // Each run's dead letters, counted from the topic by run id: nothing of another run, nothing twice.
    expect(await perRun(tb, 'orders.v1.dlt')).toEqual({[dlt1.runId]: dlt1.counts.deadLettered, [retried.runId]: retried.counts.deadLettered, [dlt2.runId]: dlt2.counts.deadLettered});
    for (const topic of ['payments.v1.dlt', 'inventory.v1.dlt', 'orders.outcome.v1.dlt']) expect(await readTopic(tb.conn, topic)).toEqual([]);
    // What the participants wrote (outputs, retry copies, saga events, notifications) carries its run's id.
    const runIds = new Set(reports.map((r) => r.runId));
    for (const topic of ['orders.v1', 'orders.processed.v1', 'orders.v1.retry.1s', 'payments.v1', 'inventory.v1', 'orders.outcome.v1', 'notifications.v1']) {
      const ids = Object.keys(await perRun(tb, topic));
      expect(ids.length, topic).toBeGreaterThan(0);
      expect(ids.filter((id) => !runIds.has(id)), topic).toEqual([]);
    }
    // Each run started past what the others left: nothing of theirs reached it.
    for (const r of reports) expect(r.counts.skippedOtherRuns).toBe(0);
  }, 120_000);

  it('--resume finishes its own interrupted run and skips what another scenario wrote in between', async () => {
    const child = spawn(process.execPath, [RUN_JS, 'scenario', 'dlt', '--brokers', tb.bootstrap, '--count', '100', '--rate', '20', '--poison-rate', '0.2', '--output', 'json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {...process.env, CI: 'true'},
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const deadline = Date.now() + 20_000;
    while (!/"produced":[1-9]\d,/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(out).not.toMatch(/"type":"report"/);
    const killed = (lines(out).find((e) => e.type === 'scenario-started') as unknown as {runId: string}).runId;

    const saga = (await runScenario(tb, ['saga', '--count', '20', '--rate', '0'])).report;
    const resumed = (await runScenario(tb, ['dlt', '--resume'])).report;
    expect(resumed.runId).toBe(killed);
    expect(resumed.counts.handled! + resumed.counts.deadLettered!).toBe(resumed.counts.produced);
    // The saga's 20 orders sit on orders.v1 behind the interrupted run's offsets: skipped, not dead-lettered.
    expect(resumed.counts.skippedOtherRuns).toBe(20);
    const dead = await perRun(tb, 'orders.v1.dlt');
    expect(dead[killed]).toBe(resumed.counts.deadLettered);
    expect(dead).not.toHaveProperty(saga.runId);
  }, 120_000);
});

describe("a record that is not this run's", () => {
  let tb: TestBroker;
  let publisher: Publisher;
  beforeAll(async () => {
    tb = await startTestBroker();
    publisher = await Publisher.connect(tb.conn, 'foreign');
  });
  afterAll(async () => {
    await publisher.close();
    await tb.stop();
  });

  const send = async (topic: string, value: string, headers: Record<string, string | Buffer>) => ({topic, ...(await publisher.sendOne({topic, partition: 0, key: 'foreign', value, headers}))});

  it('dead-letter participant: skipped and counted, never handled or dead-lettered (no run id, another run id)', async () => {
    const {report, events, positions} = await runScenario(tb, ['dlt', '--count', '60', '--rate', '20', '--poison-rate', '0.1', '--seed', '4'], async () => [
      await send('orders.v1', '{not json', {}),
      await send('orders.v1', '{"orderId": 1}', {[RUN_HEADER]: 'another-run'}),
    ]);
    expect(positions).toHaveLength(2);
    expect(report.counts.skippedOtherRuns).toBe(2);
    const skipped = skippedAt(events);
    for (const p of positions) {
      expect(skipped.has(at(p))).toBe(true);
      expect(touchedAt(events).has(at(p))).toBe(false);
    }
    expect(events.filter((e) => e.type === 'skipped').every((e) => e.reason === "not this run's")).toBe(true);
    expect(await perRun(tb, 'orders.v1.dlt')).toEqual({[report.runId]: report.counts.deadLettered});
  });

  it('retry ladder: skipped on the source and on a rung, without waiting for the rung’s due time', async () => {
    const {report, events, positions} = await runScenario(tb, [fastRetry, '--count', '60', '--rate', '20'], async () => [
      await send('fast.orders.v1', '{not json', {}),
      // Due in an hour: a ladder that held it instead of skipping it would say so (retry-held).
      await send('fast.orders.v1.retry.1s', '{not json', {[RUN_HEADER]: 'another-run', [RetryHeader.backoffTimestamp]: int64(Date.now() + 3_600_000), [RetryHeader.attempts]: int32(1)}),
    ]);
    expect(report.counts.skippedOtherRuns).toBe(2);
    const skipped = skippedAt(events);
    for (const p of positions) {
      expect(skipped.has(at(p))).toBe(true);
      expect(touchedAt(events).has(at(p))).toBe(false);
    }
    expect(await perRun(tb, 'fast.orders.v1.dlt')).toEqual({[report.runId]: report.counts.deadLettered});
  });

  it('saga services: another run’s order is skipped, not paid for, not dead-lettered', async () => {
    const orderId = 'o-another-run-1';
    const placed = {
      eventId: `OrderPlaced:${orderId}`,
      type: 'OrderPlaced',
      orderId,
      correlationId: orderId,
      causationId: null,
      timestamp: new Date().toISOString(),
      runId: 'another-run',
      payload: {customerId: 'c-x', productId: 'p-x', quantity: 1, amount: 10},
    };
    const {report, events, positions} = await runScenario(tb, ['saga', '--count', '20', '--rate', '10'], async () => [
      await send('orders.v1', JSON.stringify(placed), {[RUN_HEADER]: 'another-run', 'kpat-event-type': 'OrderPlaced'}),
      await send('orders.v1', JSON.stringify({...placed, runId: 'none'}), {}),
    ]);
    expect(report.counts.skippedOtherRuns).toBe(2);
    for (const p of positions) expect(skippedAt(events).has(at(p))).toBe(true);
    const payments = await readTopic(tb.conn, 'payments.v1');
    expect(payments.filter((r) => r.value?.toString().includes(orderId))).toEqual([]);
    const dead = await perRun(tb, 'orders.v1.dlt');
    expect(dead).not.toHaveProperty('another-run');
    expect(dead).not.toHaveProperty('(none)');
  });
});
