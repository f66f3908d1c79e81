import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli, startCli} from '../helpers/cli.js';
import {readTopic} from '../helpers/read-topic.js';
import {produceWorkload, sortResults, windowOutput, windowWorkload} from '../helpers/window-workload.js';

// kpat window --app-id killed with SIGKILL mid-stream, then started again: its store comes
// back from the changelog, it resumes from the committed offsets, and the final results and
// late records the runs showed are those of a run that never crashed, none twice; the output topic holds exactly its results.

let tb: TestBroker;
const env = {KPAT_HOME: tempDir('kpat-cli-'), KPAT_BROKERS: ''};
const PARTITIONS = 2;
const TOPIC = 'orders.crash.v1';
const SHAPE = ['--size', '2s', '--grace', '1s', '--emit', 'final', '--from-beginning', '--output', 'json'];

beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('kpat window --app-id after a crash', () => {
  it('restores its store, resumes, and emits every final result exactly once', async () => {
    const records = windowWorkload(3000, 23, PARTITIONS);
    const chunks = Array.from({length: 20}, (_, i) => records.slice(i * 150, (i + 1) * 150));
    await produceWorkload(tb.conn, TOPIC, PARTITIONS, chunks.slice(0, 6).flat());

    const args = ['window', TOPIC, ...SHAPE, '--app-id', 'crashy', '--to', 'orders.crash.out', '--commit-interval', '20ms', '--brokers', tb.bootstrap];
    const first = startCli(args, {env, timeoutMs: 60_000});
    await until('the first results', () => windowOutput(first.output().stdout).results.length > 0);
    // More records while it runs; it dies while working through them, windows open.
    for (const chunk of chunks.slice(6, 12)) await produceWorkload(tb.conn, TOPIC, PARTITIONS, chunk);
    first.kill();
    const crashed = await first.done;
    expect(crashed.code).toBeNull();
    await produceWorkload(tb.conn, TOPIC, PARTITIONS, chunks.slice(12).flat());

    const second = await runCli([...args, '--until-end'], {env, timeoutMs: 60_000});
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/resuming from committed offsets/);
    expect(second.stderr).toMatch(/restored [1-9]\d* windows? from \d+ records?/);

    const reference = await runCli(['window', TOPIC, ...SHAPE, '--until-end', '--brokers', tb.bootstrap], {env, timeoutMs: 60_000});
    expect(reference.code).toBe(0);
    const want = windowOutput(reference.stdout);
    const before = windowOutput(crashed.stdout);
    const after = windowOutput(second.stdout);
    // The crash came mid-way: some results before it, some after.
    expect(before.results.length).toBeGreaterThan(0);
    expect(after.results.length).toBeGreaterThan(0);

    const all = [...before.results, ...after.results];
    const id = (r: {key: string; start: number; end: number}) => `${r.key}@${r.start}/${r.end}`;
    expect(new Set(all.map(id)).size).toBe(all.length);
    // What the two runs printed: never a result twice, nothing the no-crash run lacks. A killed process may not
    // print the results of a transaction the broker finished committing after the kill (the next run rightly
    // does not repeat them): the output topic below is the record of what was emitted.
    const wanted = new Map(want.results.map((r) => [id(r), r]));
    for (const r of all) expect(r).toEqual(wanted.get(id(r)));
    // Late records likewise: each one the no-crash run saw as late, none shown twice.
    const late = [...before.late, ...after.late].map((l) => `${l.partition}/${l.offset}`);
    expect(new Set(late).size).toBe(late.length);
    const wantLate = new Set(want.late.map((l) => `${l.partition}/${l.offset}`));
    expect(late.filter((l) => !wantLate.has(l))).toEqual([]);
    // What the output topic holds for read_committed readers: the same results, once each.
    const written = (await readTopic(tb.conn, 'orders.crash.out')).map((r) => JSON.parse(r.value!.toString()) as {key: string; start: number; end: number; value: number});
    expect(sortResults(written)).toEqual(sortResults(want.results.map(({key, start, end, value}) => ({key, start, end, value}))));
  });
});
