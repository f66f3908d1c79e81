import {describe, expect, it} from 'vitest';
import {avg, count, max, parseAggregation, sum, type Aggregation} from './aggregations.js';
import type {WindowRecordEvent} from './events.js';
import {WindowProcessor, type EmitMode} from './processor.js';
import {timeWindowsFor, type WindowSpec} from './windows.js';

function run(windows: WindowSpec, emit: EmitMode, records: Array<{ts: number; key?: string; partition?: number; value?: unknown}>, aggregation: Aggregation = count as Aggregation) {
  const events: WindowRecordEvent[] = [];
  const p = new WindowProcessor({windows, aggregation, emit, sink: (e) => events.push(e), now: () => 0});
  records.forEach((r, i) => p.process({key: r.key ?? 'k', timestamp: r.ts, partition: r.partition ?? 0, offset: i, value: r.value ?? null}));
  const results = events.flatMap((e) => (e.type === 'window-result' ? [{key: e.key, start: e.start, end: e.end, value: e.value}] : []));
  const late = events.flatMap((e) => (e.type === 'late-record' ? [{offset: e.offset, lateness: e.lateness}] : []));
  return {p, events, results, late};
}

const tumbling = (sizeMs: number, graceMs = 0): WindowSpec => ({kind: 'tumbling', sizeMs, graceMs});

describe('tumbling and hopping windows', () => {
  it('puts a record exactly at a window\'s end into the next window, and it closes the first', () => {
    const {results} = run(tumbling(1000), 'final', [{ts: 0}, {ts: 999}, {ts: 1000}]);
    expect(results).toEqual([{key: 'k', start: 0, end: 1000, value: 2}]);
  });

  it('accepts a record while stream time is end + grace − 1 and drops it at end + grace', () => {
    const accepted = run(tumbling(1000, 500), 'final', [{ts: 100}, {ts: 1499}, {ts: 200}, {ts: 5000}]);
    expect(accepted.late).toEqual([]);
    expect(accepted.results).toEqual([
      {key: 'k', start: 0, end: 1000, value: 2},
      {key: 'k', start: 1000, end: 2000, value: 1},
    ]);
    const dropped = run(tumbling(1000, 500), 'final', [{ts: 100}, {ts: 1500}, {ts: 200}, {ts: 5000}]);
    // Stream time 1500 = end + grace closed [0, 1000) before the record at 200 came.
    expect(dropped.late).toEqual([{offset: 2, lateness: 1300}]);
    expect(dropped.results[0]).toEqual({key: 'k', start: 0, end: 1000, value: 1});
  });

  it('updates a window with an out-of-order record within grace, in update mode too', () => {
    const {results, late} = run(tumbling(1000, 2000), 'update', [{ts: 1500}, {ts: 2100}, {ts: 900}, {ts: 1200}]);
    expect(late).toEqual([]);
    expect(results).toEqual([
      {key: 'k', start: 1000, end: 2000, value: 1},
      {key: 'k', start: 2000, end: 3000, value: 1},
      {key: 'k', start: 0, end: 1000, value: 1},
      {key: 'k', start: 1000, end: 2000, value: 2},
    ]);
  });

  it('puts a record in every hopping window covering it, epoch-aligned', () => {
    expect(timeWindowsFor(12_300, 10_000, 2_000)).toEqual([4, 6, 8, 10, 12].map((s) => ({start: s * 1000, end: s * 1000 + 10_000})));
    expect(timeWindowsFor(1_000, 10_000, 2_000)).toEqual([{start: 0, end: 10_000}]);
    const {results} = run({kind: 'hopping', sizeMs: 1000, advanceMs: 500, graceMs: 0}, 'final', [{ts: 600}, {ts: 900}, {ts: 1100}, {ts: 3000}]);
    expect(results).toEqual([
      {key: 'k', start: 0, end: 1000, value: 2},
      {key: 'k', start: 500, end: 1500, value: 3},
      {key: 'k', start: 1000, end: 2000, value: 1},
    ]);
  });

  it('counts a hopping record late only when all its windows had closed', () => {
    const {late, results} = run({kind: 'hopping', sizeMs: 1000, advanceMs: 500, graceMs: 0}, 'final', [{ts: 1200}, {ts: 700}, {ts: 1600}, {ts: 200}]);
    // 700 is in [0,1000) (closed at 1200? no: closes at stream time 1000 ≤ 1200) and [500,1500) (open): kept.
    expect(late).toEqual([{offset: 3, lateness: 1400}]);
    expect(results).toEqual([{key: 'k', start: 500, end: 1500, value: 2}]);
  });

  it('keeps stream time per partition: a record on another partition does not close a window', () => {
    const {results, late, p} = run(tumbling(1000), 'final', [
      {ts: 100, partition: 0, key: 'a'},
      {ts: 5000, partition: 1, key: 'b'},
      {ts: 200, partition: 0, key: 'a'},
    ]);
    expect(results).toEqual([]);
    expect(late).toEqual([]);
    expect(p.streamTimes()).toEqual({0: 200, 1: 5000});
    expect(p.store.query({key: 'a'}).map((w) => w.agg)).toEqual([2]);
  });

  it('emits each final result once, in end order, and forgets closed windows', () => {
    const {results, p} = run(tumbling(1000), 'final', [{ts: 10, key: 'b'}, {ts: 20, key: 'a'}, {ts: 1500, key: 'a'}, {ts: 2600, key: 'a'}, {ts: 2700, key: 'a'}]);
    expect(results).toEqual([
      {key: 'a', start: 0, end: 1000, value: 1},
      {key: 'b', start: 0, end: 1000, value: 1},
      {key: 'a', start: 1000, end: 2000, value: 1},
    ]);
    expect(p.store.query().map((w) => [w.key, w.start])).toEqual([['a', 2000]]);
  });
});

describe('sliding windows (Kafka SlidingWindows, KIP-450)', () => {
  it('makes Kafka\'s five windows for records at 8000, 9200 and 12400 with a difference of 5000', () => {
    const {p} = run({kind: 'sliding', differenceMs: 5000, graceMs: 60_000}, 'update', [{ts: 8000}, {ts: 9200}, {ts: 12_400}]);
    expect(p.store.query().map((w) => ({start: w.start, end: w.end, count: w.agg}))).toEqual([
      {start: 3000, end: 8000, count: 1},
      {start: 4200, end: 9200, count: 2},
      {start: 7400, end: 12_400, count: 3},
      {start: 8001, end: 13_001, count: 2},
      {start: 9201, end: 14_201, count: 1},
    ]);
  });

  it('gives the same windows when the records come out of order', () => {
    const {p} = run({kind: 'sliding', differenceMs: 5000, graceMs: 60_000}, 'update', [{ts: 12_400}, {ts: 8000}, {ts: 9200}]);
    expect(p.store.query().map((w) => [w.start, w.end, w.agg])).toEqual([
      [3000, 8000, 1],
      [4200, 9200, 2],
      [7400, 12_400, 3],
      [8001, 13_001, 2],
      [9201, 14_201, 1],
    ]);
  });

  it('drops a record whose right window has closed, and closes inclusive windows one ms after end + grace', () => {
    // Kafka drops a record when ts + 1 + difference ≤ stream time − grace: at 7000, 6000 is taken and 5999 is not.
    const taken = run({kind: 'sliding', differenceMs: 1000, graceMs: 0}, 'final', [{ts: 5000}, {ts: 7000}, {ts: 6000}, {ts: 9000}]);
    expect(taken.late).toEqual([]);
    expect(taken.results).toEqual([
      {key: 'k', start: 4000, end: 5000, value: 1},
      {key: 'k', start: 6000, end: 7000, value: 2},
      {key: 'k', start: 6001, end: 7001, value: 1},
    ]);
    const dropped = run({kind: 'sliding', differenceMs: 1000, graceMs: 0}, 'final', [{ts: 5000}, {ts: 7000}, {ts: 5999}]);
    expect(dropped.late).toEqual([{offset: 2, lateness: 1001}]);
  });

  it('still sees a closed window that a later record\'s left window is built from', () => {
    // [4000,5000] closes at stream time 5501; the record at 5600 (stream time 6000) still counts 5000 in [4600,5600], as Kafka's retained store lets it.
    const {results} = run({kind: 'sliding', differenceMs: 1000, graceMs: 500}, 'final', [{ts: 5000}, {ts: 6000}, {ts: 5600}, {ts: 9000}]);
    expect(results).toEqual([
      {key: 'k', start: 4000, end: 5000, value: 1},
      {key: 'k', start: 4600, end: 5600, value: 2},
      {key: 'k', start: 5000, end: 6000, value: 3},
      {key: 'k', start: 5001, end: 6001, value: 2},
      {key: 'k', start: 5601, end: 6601, value: 1},
    ]);
  });
});

describe('session windows', () => {
  it('merges 10, 12, 20 and then 16 (gap 5) into one session 10–20 of four records, with tombstones in update mode', () => {
    const {events, p} = run({kind: 'session', gapMs: 5, graceMs: 100}, 'update', [{ts: 10}, {ts: 12}, {ts: 20}, {ts: 16}]);
    const shown = events.map((e) => (e.type === 'window-result' ? `${e.start}-${e.end}=${String(e.value)}` : e.type === 'window-removed' ? `${e.start}-${e.end} removed` : e.type));
    expect(shown).toEqual(['10-10=1', '10-10 removed', '10-12=2', '20-20=1', '10-12 removed', '20-20 removed', '10-20=4']);
    expect(p.store.query().map((w) => [w.start, w.end, w.agg])).toEqual([[10, 20, 4]]);
  });

  it('emits a session once when stream time passes end + gap + grace, and drops records that cannot merge into an open one', () => {
    const {results, late} = run({kind: 'session', gapMs: 5, graceMs: 0}, 'final', [{ts: 10}, {ts: 12}, {ts: 17}, {ts: 18}, {ts: 30}, {ts: 11}]);
    expect(results).toEqual([{key: 'k', start: 10, end: 18, value: 4}]);
    expect(late).toEqual([{offset: 5, lateness: 19}]);
  });
});

describe('aggregations', () => {
  it('sums, averages and takes the max of a JSON field, and skips records without a number there', () => {
    const records = [{ts: 1, value: {n: 2}}, {ts: 2, value: {n: '4'}}, {ts: 3, value: {m: 1}}, {ts: 5000, value: {n: 0}}];
    expect(run(tumbling(1000), 'final', records, sum('n') as Aggregation).results[0]!.value).toBe(6);
    expect(run(tumbling(1000), 'final', records, avg('n') as Aggregation).results[0]!.value).toBe(3);
    expect(run(tumbling(1000), 'final', records, max('n') as Aggregation).results[0]!.value).toBe(4);
    const skipped = run(tumbling(1000), 'final', records, sum('n') as Aggregation).events.filter((e) => e.type === 'record-skipped');
    expect(skipped.map((e) => (e.type === 'record-skipped' ? [e.offset, e.reason] : null))).toEqual([[2, 'field n is missing']]);
  });

  it('reads aggregation names and refuses others with the fix', () => {
    expect(parseAggregation('count').name).toBe('count');
    expect(parseAggregation('avg:order.amount').name).toBe('avg(order.amount)');
    expect(() => parseAggregation('median:x')).toThrow(/use count, sum:FIELD/);
    expect(() => parseAggregation('sum')).toThrow(/use count, sum:FIELD/);
  });
});

describe('restoring', () => {
  it('brings back a window its task had already closed as closed: no second result, and records for it stay late', () => {
    const events: WindowRecordEvent[] = [];
    const p = new WindowProcessor({windows: tumbling(1000), aggregation: count as Aggregation, emit: 'final', sink: (e) => events.push(e), now: () => 0});
    p.restoreStreamTime(0, 1500);
    p.restoreWindow({key: 'k', start: 0, end: 1000, task: 0, agg: 3, maxTs: 900});
    p.restoreWindow({key: 'k', start: 1000, end: 2000, task: 0, agg: 1, maxTs: 1500});
    p.process({key: 'k', timestamp: 500, partition: 0, offset: 7, value: null});
    p.process({key: 'k', timestamp: 2500, partition: 0, offset: 8, value: null});
    expect(events.map((e) => (e.type === 'window-result' ? `${e.start}=${String(e.value)}` : e.type))).toEqual(['late-record', '1000=1']);
  });

  it('answers interactive queries by key and time range from the store', () => {
    const {p} = run(tumbling(1000, 10_000), 'update', [{ts: 100, key: 'a'}, {ts: 1100, key: 'a'}, {ts: 2100, key: 'b'}, {ts: 1200, key: 'a'}]);
    expect(p.store.query({key: 'a', from: 1000, to: 1999}).map((w) => [w.start, w.agg])).toEqual([[1000, 2]]);
    expect(p.store.query({from: 999, to: 2000}).map((w) => [w.key, w.start])).toEqual([
      ['a', 1000],
      ['b', 2000],
    ]);
  });
});

describe('the record cache', () => {
  function cached(emit: EmitMode, cacheMaxBytes: number, windows: WindowSpec = tumbling(1000)) {
    const events: WindowRecordEvent[] = [];
    const p = new WindowProcessor({windows, aggregation: count as Aggregation, emit, sink: (e) => events.push(e), now: () => 0, cacheMaxBytes});
    let offset = 0;
    const add = (key: string, ts: number) => p.process({key, timestamp: ts, partition: 0, offset: offset++, value: null});
    const results = () => events.flatMap((e) => (e.type === 'window-result' ? [`${e.key}@${e.start} ${String(e.value)}`] : e.type === 'window-removed' ? [`${e.key}@${e.start}/${e.end} removed`] : []));
    return {p, add, results};
  }

  it('collapses repeated updates of a window into one result with its latest value, emitted at flush', () => {
    const {p, add, results} = cached('update', 1 << 20);
    add('a', 10);
    add('a', 20);
    add('b', 30);
    add('a', 40);
    expect(results()).toEqual([]);
    const changes = p.flush();
    expect(results()).toEqual(['a@0 3', 'b@0 1']);
    expect(changes.map((c) => `${c.key}@${c.start} ${String(c.entry?.agg)}`)).toEqual(['a@0 3', 'b@0 1']);
    // After a flush the cache starts empty: the next change is one more result,
    // and what the flush handed out (on its way to the changelog) stays as it was.
    add('a', 50);
    p.flush();
    expect(results()).toEqual(['a@0 3', 'b@0 1', 'a@0 4']);
    expect(changes.map((c) => c.entry?.agg)).toEqual([3, 1]);
  });

  it('without a cache emits every change as it happens', () => {
    const {add, results} = cached('update', 0);
    add('a', 10);
    add('a', 20);
    expect(results()).toEqual(['a@0 1', 'a@0 2']);
  });

  it('says it is full once its changes pass its size, and a flush empties it', () => {
    const {p, add} = cached('final', 250);
    add('a', 10);
    add('a', 20);
    add('b', 30);
    expect(p.cacheFull).toBe(false);
    add('c', 40);
    expect(p.cacheFull).toBe(true);
    expect(p.flush().map((c) => c.key)).toEqual(['a', 'b', 'c']);
    expect(p.cacheFull).toBe(false);
  });

  it('emits a session a merge replaced as removed, and the merged session once', () => {
    const {p, add, results} = cached('update', 1 << 20, {kind: 'session', gapMs: 5, graceMs: 0});
    add('u', 10);
    p.flush();
    add('u', 14);
    add('u', 20);
    add('u', 17);
    p.flush();
    // [10,10] grew into [10,14], then [10,14] and [20,20] merged into [10,20]: only the last state shows.
    expect(results()).toEqual(['u@10 1', 'u@10/10 removed', 'u@10/14 removed', 'u@20/20 removed', 'u@10 4']);
  });

  it('writes nothing for a window created and closed between two flushes, a tombstone for one flushed before', () => {
    const {p, add} = cached('final', 1 << 20);
    add('a', 10);
    add('b', 20);
    p.flush();
    add('a', 30);
    add('c', 40);
    add('c', 1500);
    // a@0 was written before: its removal is a tombstone; c@0 never was: nothing. c@1000 is new.
    expect(p.flush().map((c) => `${c.key}@${c.start} ${c.entry === null ? 'null' : String(c.entry.agg)}`).sort()).toEqual(['a@0 null', 'b@0 null', 'c@1000 1']);
  });
});
