import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {EventStream} from '../../src/core/event-stream.js';
import {Publisher} from '../../src/kafka/publisher.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import {count} from '../../src/patterns/window/aggregations.js';
import type {WindowEvent} from '../../src/patterns/window/events.js';
import {LateHeader} from '../../src/patterns/window/output-messages.js';
import {WindowAggregation} from '../../src/patterns/window/window-aggregation.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {readTopic} from '../helpers/read-topic.js';

// The window pattern as a library against a real broker: what it writes to its output
// and late-records topics, and the opt-in wall-clock close.

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

async function write(topic: string, records: Array<{key: string; ts: number}>): Promise<void> {
  await ensureTopics(tb.conn, [{name: topic, partitions: 1}]);
  const publisher = await Publisher.connect(tb.conn);
  try {
    await publisher.send(records.map((r) => ({topic, partition: 0, key: r.key, value: '{}', timestamp: r.ts, headers: {origin: 'test'}})));
  } finally {
    await publisher.close();
  }
}

function collect(): {events: EventStream<WindowEvent>; seen: WindowEvent[]} {
  const events = new EventStream<WindowEvent>();
  const seen: WindowEvent[] = [];
  events.subscribe((e) => seen.push(e));
  return {events, seen};
}

describe('WindowAggregation', () => {
  it('writes update-mode session results with tombstones for merged sessions, and late records with how late they were', async () => {
    const t0 = 1_700_000_000_000;
    await write('sessions.v1', [
      {key: 'u', ts: t0 + 10},
      {key: 'u', ts: t0 + 12},
      {key: 'u', ts: t0 + 20},
      {key: 'u', ts: t0 + 16},
      {key: 'u', ts: t0 + 100},
      {key: 'u', ts: t0 + 30},
    ]);
    const {events} = collect();
    const summary = await new WindowAggregation({
      conn: tb.conn,
      topic: 'sessions.v1',
      windows: {kind: 'session', gapMs: 5, graceMs: 0},
      aggregation: count,
      emit: 'update',
      outputTopic: 'sessions.out',
      lateTopic: 'sessions.late',
      fromBeginning: true,
      untilEnd: true,
      // No record cache: every change is shown (the cache's collapsing is tested below).
      cacheMaxBytes: 0,
      events,
    }).run();
    expect(summary).toMatchObject({records: 6, late: 1});
    const out = (await readTopic(tb.conn, 'sessions.out')).map((r) => `${r.key!.toString().replace(/\d{13}/g, (t) => String(Number(t) - t0))} ${r.value?.toString() ?? 'null'}`);
    expect(out.map((l) => l.replace(/ \{.*"value":(\d+)\}$/, ' $1'))).toEqual([
      'u@10/10 1',
      'u@10/10 null',
      'u@10/12 2',
      'u@20/20 1',
      'u@10/12 null',
      'u@20/20 null',
      'u@10/20 4',
      'u@100/100 1',
    ]);
    const [late] = await readTopic(tb.conn, 'sessions.late');
    expect(late!.timestamp).toBe(t0 + 30);
    expect(late!.headers.origin?.toString()).toBe('test');
    expect(late!.headers[LateHeader.source]?.toString()).toBe('sessions.v1/0@5');
    expect(late!.headers[LateHeader.lateness]?.toString()).toBe('70');
  });

  it('closes a quiet window by the wall clock only when asked, and says so', async () => {
    const now = Date.now();
    await write('quiet.v1', [{key: 'q', ts: now}]);
    const {events, seen} = collect();
    const abort = new AbortController();
    events.subscribe((e) => {
      if (e.type === 'window-result') abort.abort();
    });
    const running = new WindowAggregation({
      conn: tb.conn,
      topic: 'quiet.v1',
      windows: {kind: 'tumbling', sizeMs: 300, graceMs: 0},
      aggregation: count,
      emit: 'final',
      fromBeginning: true,
      wallClockCloseMs: 200,
      events,
      signal: abort.signal,
    }).run();
    const timeout = setTimeout(() => abort.abort(), 15_000);
    await running;
    clearTimeout(timeout);
    const result = seen.find((e) => e.type === 'window-result');
    expect(result).toMatchObject({key: 'q', value: 1, final: true, closedBy: 'wall-clock'});

    // Without the option, the same quiet window stays open.
    const quiet = collect();
    const summary = await new WindowAggregation({conn: tb.conn, topic: 'quiet.v1', windows: {kind: 'tumbling', sizeMs: 300, graceMs: 0}, aggregation: count, emit: 'final', fromBeginning: true, untilEnd: true, events: quiet.events}).run();
    expect(summary).toMatchObject({results: 0, openWindows: 1});
  });
});

describe('the record cache', () => {
  const t0 = 1_700_000_000_000;
  const run = (appId: string, cacheMaxBytes?: number) =>
    new WindowAggregation({
      conn: tb.conn,
      topic: 'cache.in',
      windows: {kind: 'tumbling', sizeMs: 1000, graceMs: 0},
      aggregation: count,
      emit: 'update',
      outputTopic: `${appId}.out`,
      appId,
      fromBeginning: true,
      untilEnd: true,
      // One commit per run (at its end): everything a run does falls in one cache flush.
      commitIntervalMs: 60_000,
      cacheMaxBytes,
      events: collect().events,
    }).run();
  const outputs = async (appId: string) => (await readTopic(tb.conn, `${appId}.out`)).map((r) => `${r.key!.toString().replace(/\d{13}/g, (t) => String(Number(t) - t0))} ${JSON.parse(r.value!.toString()).value}`);
  const changelogWindows = async (appId: string) => (await readTopic(tb.conn, `${appId}-window-store-changelog`)).filter((r) => r.key!.toString().startsWith('["w"'));

  it('writes each window once per commit with its latest value, to the output and the changelog, and a restart goes on from there', async () => {
    await write('cache.in', [
      {key: 'a', ts: t0 + 10},
      {key: 'a', ts: t0 + 20},
      {key: 'b', ts: t0 + 30},
      {key: 'a', ts: t0 + 40},
    ]);
    await run('cached');
    expect(await outputs('cached')).toEqual(['a@0/1000 3', 'b@0/1000 1']);
    expect((await changelogWindows('cached')).map((r) => JSON.parse(r.value!.toString()).agg)).toEqual([3, 1]);

    // The restart restores a=3 and b=1, adds to them, and shows each window once more, nothing twice.
    await write('cache.in', [
      {key: 'a', ts: t0 + 50},
      {key: 'b', ts: t0 + 60},
      {key: 'a', ts: t0 + 1100},
      {key: 'a', ts: t0 + 1200},
    ]);
    await run('cached');
    expect(await outputs('cached')).toEqual(['a@0/1000 3', 'b@0/1000 1', 'a@0/1000 4', 'a@1000/2000 2', 'b@0/1000 2']);
    // Nothing new: nothing shown.
    await run('cached');
    expect(await outputs('cached')).toHaveLength(5);
  });

  it('without a cache shows and writes every change', async () => {
    await run('uncached', 0);
    expect(await outputs('uncached')).toEqual(['a@0/1000 1', 'a@0/1000 2', 'b@0/1000 1', 'a@0/1000 3', 'a@0/1000 4', 'b@0/1000 2', 'a@1000/2000 1', 'a@1000/2000 2']);
    // Every change, and the tombstones of the two windows that closed.
    const values = (await changelogWindows('uncached')).map((r) => (r.value ? (JSON.parse(r.value.toString()) as {agg: number}).agg : null));
    expect(values.filter((v) => v !== null)).toEqual([1, 2, 1, 3, 4, 2, 1, 2]);
    expect(values.filter((v) => v === null)).toHaveLength(2);
  });
});
