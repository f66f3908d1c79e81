import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {readTopic} from '../helpers/read-topic.js';
import {produceWorkload, sortLate, sortResults, windowOutput, windowWorkload, type WorkloadRecord} from '../helpers/window-workload.js';

// kpat window on a generated topic with out-of-order and late records, checked against
// a recomputation of Kafka's rules written independently here (window by window, not as
// the pattern does it).

let tb: TestBroker;
const env = {KPAT_HOME: tempDir('kpat-cli-'), KPAT_BROKERS: ''};
const kpat = (args: string[]) => runCli([...args, '--brokers', tb.bootstrap], {env, timeoutMs: 60_000});

const PARTITIONS = 3;
type Rec = WorkloadRecord;
const workload = (count: number, seed: number) => windowWorkload(count, seed, PARTITIONS);

/** Kafka's rules, restated: per partition, stream time = max timestamp so far; a window [s, s+size) takes a record while stream time < end + grace. */
function expected(records: Rec[], sizeMs: number, advanceMs: number, graceMs: number, agg: (values: number[]) => number) {
  const windows = new Map<string, {key: string; start: number; end: number; values: number[]; partition: number}>();
  const late: Array<{partition: number; offset: number}> = [];
  const streamTime = new Map<number, number>();
  for (const r of records) {
    const st = Math.max(streamTime.get(r.partition) ?? -1, r.ts);
    streamTime.set(r.partition, st);
    let taken = false;
    for (let start = Math.floor(r.ts / advanceMs) * advanceMs; start > r.ts - sizeMs; start -= advanceMs) {
      if (start < 0 || st >= start + sizeMs + graceMs) continue;
      taken = true;
      const id = `${r.key}@${start}`;
      const w = windows.get(id) ?? {key: r.key, start, end: start + sizeMs, values: [], partition: r.partition};
      w.values.push(r.n);
      windows.set(id, w);
    }
    if (!taken) late.push({partition: r.partition, offset: r.offset});
  }
  const finals = [...windows.values()].filter((w) => w.end + graceMs <= streamTime.get(w.partition)!).map((w) => ({key: w.key, start: w.start, end: w.end, value: agg(w.values)}));
  return {finals: sortResults(finals), late: sortLate(late)};
}

async function produce(topic: string, records: Rec[]): Promise<void> {
  await produceWorkload(tb.conn, topic, PARTITIONS, records);
}

function outputOf(stdout: string) {
  const out = windowOutput(stdout);
  return {finals: sortResults(out.results), late: sortLate(out.late), summary: out.summary};
}

beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

describe('kpat window --emit final --from-beginning --until-end', () => {
  it('gives exactly the final counts of tumbling windows and the late records Kafka\'s rules give', async () => {
    const records = workload(1500, 7);
    await produce('clicks.tumbling.v1', records);
    const res = await kpat(['window', 'clicks.tumbling.v1', '--size', '5s', '--grace', '1s', '--emit', 'final', '--from-beginning', '--until-end', '--output', 'json']);
    expect(res.stderr).not.toMatch(/kpat: /);
    expect(res.code).toBe(0);
    const want = expected(records, 5000, 5000, 1000, (v) => v.length);
    const got = outputOf(res.stdout);
    expect(want.late.length).toBeGreaterThan(20);
    expect(want.finals.length).toBeGreaterThan(100);
    expect(got.finals).toEqual(want.finals.map((w) => ({...w, final: true})));
    expect(got.late).toEqual(want.late);
    expect(got.summary).toMatchObject({records: 1500, results: want.finals.length, late: want.late.length, skipped: 0});
  });

  it('gives exactly the final sums of hopping windows, a record counted in each window it falls in', async () => {
    const records = workload(1200, 11);
    await produce('clicks.hopping.v1', records);
    const res = await kpat(['window', 'clicks.hopping.v1', '--size', '10s', '--advance', '2s', '--grace', '1500ms', '--agg', 'sum:n', '--emit', 'final', '--from-beginning', '--until-end', '--output', 'json', '--to', 'clicks.hopping.sums']);
    expect(res.code).toBe(0);
    const want = expected(records, 10_000, 2000, 1500, (v) => v.reduce((a, b) => a + b, 0));
    const got = outputOf(res.stdout);
    expect(want.late.length).toBeGreaterThan(5);
    expect(got.finals).toEqual(want.finals.map((w) => ({...w, final: true})));
    expect(got.late).toEqual(want.late);
    // The output topic: key KEY@START/END, value {key, start, end, value}.
    const written = (await readTopic(tb.conn, 'clicks.hopping.sums')).map((r) => ({k: r.key!.toString(), v: JSON.parse(r.value!.toString()) as {key: string; start: number; end: number; value: number}}));
    expect(written.every(({k, v}) => k === `${v.key}@${v.start}/${v.end}`)).toBe(true);
    expect(sortResults(written.map(({v}) => v))).toEqual(want.finals);
  });

  it('prints one readable line per result and late record without --output json', async () => {
    await produce('clicks.plain.v1', workload(300, 5));
    const res = await kpat(['window', 'clicks.plain.v1', '--size', '5s', '--grace', '1s', '--emit', 'final', '--from-beginning', '--until-end']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^alice {2}\d{4}-\d\d-\d\dT[\d:.]+Z – \d{4}-\d\d-\d\dT[\d:.]+Z {2}\d+ {2}\(final\)$/m);
    expect(res.stdout).toMatch(/^late {2}\w+ {2}\S+ {2}partition \d offset \d+ {2}\d+ ?(s|ms) behind stream time \S+: dropped$/m);
    expect(res.stderr).toMatch(/300 records · \d+ results · \d+ late · 0 skipped/);
  });

  it('refuses window shapes and flags that make no sense, with exit 2 and the fix', async () => {
    const noSize = await kpat(['window', 'clicks.tumbling.v1']);
    expect(noSize.code).toBe(2);
    expect(noSize.stderr).toMatch(/say how big the windows are: --size D/);
    const badAdvance = await kpat(['window', 'clicks.tumbling.v1', '--size', '1s', '--advance', '2s']);
    expect(badAdvance.code).toBe(2);
    expect(badAdvance.stderr).toMatch(/must not exceed the window size/);
    const badAgg = await kpat(['window', 'clicks.tumbling.v1', '--size', '1s', '--agg', 'median:n']);
    expect(badAgg.code).toBe(2);
    const missing = await kpat(['window', 'no.such.topic', '--size', '1s']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/topic no\.such\.topic does not exist/);
  });
});
