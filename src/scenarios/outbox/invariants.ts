import {plural} from '../../core/plural.js';
import type {InvariantResult} from '../report.js';
import type {VariantAudit, VariantStats} from './events.js';
import type {OutboxVariant} from './schema.js';

export interface VariantOutcome {
  stats: VariantStats;
  audit: VariantAudit & {lost: string[]};
}

const sample = (ids: string[]) => ids.slice(0, 3).join(', ') + (ids.length > 3 ? ' …' : '');

/**
 * What must hold whatever the faults: the outbox lost no event and has
 * nothing left pending; neither variant produced an event for an order the
 * database does not have; the consumer applied each outbox event once,
 * dropping the copies a relay crash made. The dual write's losses are the
 * lesson (counted in the report), not a failure.
 */
export function outboxInvariants(o: Record<OutboxVariant, VariantOutcome>, opts: {orders: number; relayCrashes: number; interrupted?: boolean}): InvariantResult[] {
  const ob = o.outbox.audit;
  const phantom = (['dual-write', 'outbox'] as const).filter((v) => o[v].audit.eventsWithoutOrder > 0);
  return [
    {
      name: 'outbox-nothing-lost',
      ok: ob.ordersWithoutEvent === 0 && ob.pending === 0 && ob.orders === opts.orders,
      detail:
        ob.ordersWithoutEvent === 0 && ob.pending === 0
          ? `every one of the ${ob.orders} orders in the database has its event on the topic (of ${opts.orders} placed)`
          : `${plural(ob.ordersWithoutEvent, 'order')} without an event (${sample(o.outbox.audit.lost)}), ${plural(ob.pending, 'outbox row')} still pending`,
    },
    {
      name: 'no-event-without-order',
      ok: phantom.length === 0,
      detail: phantom.length === 0 ? 'every event on both topics is about an order the database has' : phantom.map((v) => `${v}: ${plural(o[v].audit.eventsWithoutOrder, 'event')} without an order`).join('; '),
    },
    {
      name: 'outbox-applied-once',
      ok: ob.applied === ob.orders - ob.ordersWithoutEvent && ob.delivered === ob.applied + ob.duplicatesDropped,
      detail: `the consumer applied ${ob.applied} events and dropped ${plural(ob.duplicatesDropped, 'copy', 'copies')} by event id (${ob.delivered} delivered)`,
    },
    opts.relayCrashes === 0 || (opts.interrupted && o.outbox.stats.relayCrashes === 0)
      ? {name: 'relay-crash-copies-dropped', ok: true, skipped: true, detail: opts.relayCrashes === 0 ? 'no relay crash injected (--relay-crash 0)' : 'the run was stopped before a relay crashed'}
      : {
          name: 'relay-crash-copies-dropped',
          ok: o.outbox.stats.relayCrashes > 0 && ob.duplicatesDropped > 0,
          detail: `${plural(o.outbox.stats.relayCrashes, 'relay crash', 'relay crashes')} between publish and mark; ${plural(ob.duplicatesDropped, 'copy', 'copies')} delivered again and dropped`,
        },
  ];
}

/** The dual write's losses, in words, for the report's notes. */
export function lossNote(o: VariantOutcome): string {
  const a = o.audit;
  if (a.ordersWithoutEvent === 0) return `dual-write: no order lost its event this run (${plural(o.stats.appCrashes, 'app crash', 'app crashes')}, ${plural(o.stats.sendFailures, 'failed produce')})`;
  return `dual-write: ${plural(a.ordersWithoutEvent, 'order')} in the database with no event (${sample(a.lost)}) — ${plural(o.stats.appCrashes, 'crash', 'crashes')} between commit and produce, ${plural(o.stats.sendFailures, 'produce')} failed while the broker was unreachable`;
}
