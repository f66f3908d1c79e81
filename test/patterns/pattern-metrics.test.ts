import {describe, expect, it} from 'vitest';
import {EventStream} from '../../src/core/event-stream.js';
import type {ProcessorEvent} from '../../src/patterns/exactly-once/events.js';
import {PatternMetrics} from '../../src/patterns/metrics/index.js';
import type {Envelope} from '../../src/patterns/saga/envelope.js';
import type {WindowEvent} from '../../src/patterns/window/events.js';
import {parseExposition, sampleValue} from '../helpers/prometheus.js';

const topics = {orders: 'orders.v1', payments: 'payments.v1', inventory: 'inventory.v1', outcomes: 'orders.outcome.v1', notifications: 'notifications.v1'};
const read = async (m: PatternMetrics) => parseExposition(await m.registry.metrics());

describe('PatternMetrics', () => {
  it('declares every pattern counter up front, so a scrape lists them before anything happened', async () => {
    const exp = await read(new PatternMetrics());
    for (const name of ['kpat_pattern_records_handled_total', 'kpat_pattern_retried_total', 'kpat_pattern_dead_lettered_total', 'kpat_pattern_saga_outcomes_total', 'kpat_pattern_saga_compensations_total', 'kpat_pattern_windows_emitted_total', 'kpat_pattern_window_late_records_total', 'kpat_pattern_eos_units_total', 'kpat_pattern_redriven_total']) {
      expect(exp.types.get(name)).toBe('counter');
    }
  });

  it('counts saga outcomes and compensations by the topic they are published to', async () => {
    const m = new PatternMetrics();
    const published = m.saga(topics);
    const envelope = (type: string) => ({type, orderId: 'o1'}) as unknown as Envelope;
    for (const t of ['OrderPlaced', 'PaymentAuthorized', 'InventoryRejected', 'PaymentRefunded', 'OrderCancelled', 'OrderPlaced', 'OrderCompleted']) published(envelope(t));
    const exp = await read(m);
    expect(sampleValue(exp, 'kpat_pattern_saga_outcomes_total', {topic: 'orders.outcome.v1', outcome: 'cancelled'})).toBe(1);
    expect(sampleValue(exp, 'kpat_pattern_saga_outcomes_total', {topic: 'orders.outcome.v1', outcome: 'completed'})).toBe(1);
    expect(sampleValue(exp, 'kpat_pattern_saga_compensations_total', {topic: 'payments.v1', compensation: 'payment-refunded'})).toBe(1);
    expect(sampleValue(exp, 'kpat_pattern_saga_events_total', {topic: 'orders.v1', event: 'OrderPlaced'})).toBe(2);
  });

  it('counts window results and late records, and exactly-once units, under the stream\'s topic and group', async () => {
    const m = new PatternMetrics();
    const windows = new EventStream<WindowEvent>();
    m.window(windows, {topic: 'temps.v1', group: 'avg-temp'});
    windows.emit({type: 'window-result', at: 0, key: 'k', start: 0, end: 10, value: 1, final: true, partition: 0, streamTime: 10});
    windows.emit({type: 'window-result', at: 0, key: 'k', start: 10, end: 20, value: 1, final: false, partition: 0, streamTime: 12});
    windows.emit({type: 'late-record', at: 0, key: 'k', timestamp: 1, partition: 0, offset: 5, streamTime: 30, lateness: 29});
    const eos = new EventStream<ProcessorEvent>();
    m.exactlyOnce(eos, {topic: 'payments.v1', group: 'ledger'});
    eos.emit({type: 'transaction-committed', at: 0, instance: 'a', partition: 0, records: 3, outputs: 3, offsets: []});
    eos.emit({type: 'transaction-aborted', at: 0, instance: 'a', partition: 0, records: 3, cause: 'injected', reason: {name: 'Error', message: 'x'}});
    const exp = await read(m);
    expect(sampleValue(exp, 'kpat_pattern_windows_emitted_total', {topic: 'temps.v1', group: 'avg-temp', kind: 'final'})).toBe(1);
    expect(sampleValue(exp, 'kpat_pattern_windows_emitted_total', {kind: 'update'})).toBe(1);
    expect(sampleValue(exp, 'kpat_pattern_window_late_records_total', {topic: 'temps.v1', group: 'avg-temp'})).toBe(1);
    expect(sampleValue(exp, 'kpat_pattern_eos_units_total', {group: 'ledger', outcome: 'committed'})).toBe(1);
    expect(sampleValue(exp, 'kpat_pattern_eos_units_total', {group: 'ledger', outcome: 'aborted', cause: 'injected'})).toBe(1);
  });

  it('counts a redrive per destination topic', async () => {
    const m = new PatternMetrics();
    m.redriven({considered: 3, sent: [{deadLetter: 'd/0/1', to: 'orders.v1'}, {deadLetter: 'd/0/2', to: 'orders.v1'}], alreadyRedriven: 1, filteredOut: 0, noDestination: 0, invalidSent: 0, invalidSkipped: 0});
    expect(sampleValue(await read(m), 'kpat_pattern_redriven_total', {topic: 'orders.v1'})).toBe(2);
  });
});

describe('parseExposition', () => {
  it('reads escaped label values, special values and timestamps', () => {
    const exp = parseExposition('# HELP x_total A help.\n# TYPE x_total counter\nx_total{a="q\\"uote",b="back\\\\slash",c="new\\nline"} 3 1700000000\ny +Inf\nz NaN\n');
    expect(exp.samples[0]).toEqual({name: 'x_total', labels: {a: 'q"uote', b: 'back\\slash', c: 'new\nline'}, value: 3});
    expect(sampleValue(exp, 'y')).toBe(Infinity);
    expect(Number.isNaN(sampleValue(exp, 'z'))).toBe(true);
    expect(exp.types.get('x_total')).toBe('counter');
  });
});
