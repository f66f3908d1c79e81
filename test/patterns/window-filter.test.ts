import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {EventStream} from '../../src/core/event-stream.js';
import {Publisher} from '../../src/kafka/publisher.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import {count} from '../../src/patterns/window/aggregations.js';
import type {WindowEvent, WindowResult} from '../../src/patterns/window/events.js';
import {WindowAggregation} from '../../src/patterns/window/window-aggregation.js';
import {RUN_HEADER, thisRunOnly} from '../../src/scenarios/run-log.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';

// A window aggregation given a record filter: the records it refuses (another run's, here)
// neither count in a window nor move stream time — so they cannot make this run's records late.

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

describe('WindowAggregation with a filter', () => {
  it('skips the records it refuses: they count in no window and do not move stream time', async () => {
    const topic = 'window.filter.v1';
    await ensureTopics(tb.conn, [{name: topic, partitions: 1}]);
    const publisher = await Publisher.connect(tb.conn);
    // Run a's records are 1 s apart; run b's, between them, are an hour ahead: were they taken, every later record of a would be late.
    const messages = Array.from({length: 20}, (_, i) => {
      const run = i % 2 === 0 ? 'a' : 'b';
      return {topic, key: 'k', value: '{}', timestamp: 1_000 * i + (run === 'b' ? 3_600_000 : 0), headers: {[RUN_HEADER]: run}};
    });
    await publisher.send(messages);
    await publisher.close();

    const events = new EventStream<WindowEvent>();
    const seen: WindowEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const summary = await new WindowAggregation({
      conn: tb.conn,
      topic,
      windows: {kind: 'tumbling', sizeMs: 4_000, graceMs: 0},
      aggregation: count,
      emit: 'final',
      fromBeginning: true,
      untilEnd: true,
      filter: thisRunOnly('a'),
      events,
    }).run();

    expect(summary).toMatchObject({records: 20, late: 0, skipped: 10});
    const skipped = seen.filter((e) => e.type === 'record-skipped');
    expect(skipped.map((e) => e.offset)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    expect(skipped.every((e) => e.reason === "not this run's")).toBe(true);
    // a's records at 0, 2, …, 18 s: windows [0,4) [4,8) [8,12) [12,16) close, two each; [16,20) is still open.
    const results = seen.filter((e): e is WindowResult => e.type === 'window-result');
    expect(results.map((r) => [r.start, r.value])).toEqual([
      [0, 2],
      [4_000, 2],
      [8_000, 2],
      [12_000, 2],
    ]);
    expect(summary.streamTimes).toEqual({0: 18_000});
  });
});
