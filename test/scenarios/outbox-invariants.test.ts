import {describe, expect, it} from 'vitest';
import type {VariantAudit} from '../../src/scenarios/outbox/events.js';
import {emptyStats} from '../../src/scenarios/outbox/events.js';
import {outboxInvariants, type VariantOutcome} from '../../src/scenarios/outbox/invariants.js';

const audit = (a: Partial<VariantAudit> = {}): VariantAudit & {lost: string[]} => ({orders: 10, delivered: 10, applied: 10, duplicatesDropped: 0, ordersWithoutEvent: 0, eventsWithoutOrder: 0, pending: 0, lost: [], ...a});
const outcome = (a: Partial<VariantAudit> = {}, relayCrashes = 0): VariantOutcome => ({stats: {...emptyStats(true), relayCrashes}, audit: audit(a)});
const verdicts = (o: Record<'dual-write' | 'outbox', VariantOutcome>, relayCrashes = 0) => Object.fromEntries(outboxInvariants(o, {orders: 10, relayCrashes}).map((i) => [i.name, i.ok]));

describe('outbox invariants', () => {
  it('the dual write losing events is the lesson, not a failure', () => {
    const v = verdicts({'dual-write': outcome({delivered: 7, applied: 7, ordersWithoutEvent: 3, lost: ['o-1', 'o-2', 'o-3']} as Partial<VariantAudit>), outbox: outcome()});
    expect(Object.values(v).every(Boolean)).toBe(true);
  });

  it('fail when the outbox lost an event, left rows pending, or an event has no order', () => {
    expect(verdicts({'dual-write': outcome(), outbox: outcome({delivered: 9, applied: 9, ordersWithoutEvent: 1})})['outbox-nothing-lost']).toBe(false);
    expect(verdicts({'dual-write': outcome(), outbox: outcome({pending: 2})})['outbox-nothing-lost']).toBe(false);
    expect(verdicts({'dual-write': outcome({eventsWithoutOrder: 1}), outbox: outcome()})['no-event-without-order']).toBe(false);
  });

  it('a relay crash must show as copies the consumer dropped', () => {
    expect(verdicts({'dual-write': outcome(), outbox: outcome({}, 1)}, 1)['relay-crash-copies-dropped']).toBe(false);
    expect(verdicts({'dual-write': outcome(), outbox: outcome({delivered: 15, duplicatesDropped: 5}, 1)}, 1)['relay-crash-copies-dropped']).toBe(true);
    // Applied plus dropped must account for every delivery.
    expect(verdicts({'dual-write': outcome(), outbox: outcome({delivered: 15, duplicatesDropped: 4}, 1)}, 1)['outbox-applied-once']).toBe(false);
  });
});
