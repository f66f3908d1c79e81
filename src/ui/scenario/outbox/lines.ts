import type {ScenarioEvent} from '../../../scenarios/events.js';
import type {OutboxKindEvent} from '../../../scenarios/outbox/events.js';
import type {LogLine} from '../presenter.js';

const FAULT_COLOR = {'app-crash': 'magenta', 'produce-failed': 'red', 'broker-down': 'red', 'broker-back': 'green', 'relay-crash': 'magenta', 'publish-failed': 'yellow'} as const;

/** One line for a fault met or an audit; null for the rest. */
export function outboxLine(e: ScenarioEvent<OutboxKindEvent>): LogLine | null {
  if (e.type === 'outbox-fault') return {text: `${e.variant}: ${e.detail}`, color: FAULT_COLOR[e.fault]};
  if (e.type === 'outbox-audit') {
    const a = e.audit;
    const lost = a.ordersWithoutEvent > 0 ? ` (${e.lostSample.join(', ')}${a.ordersWithoutEvent > e.lostSample.length ? ' …' : ''})` : '';
    const text = `${e.variant}: ${a.orders} orders in the database, ${a.delivered} events delivered, ${a.applied} applied, ${a.duplicatesDropped} copies dropped, ${a.ordersWithoutEvent} orders without an event${lost}, ${a.eventsWithoutOrder} events without an order`;
    return {text, color: a.ordersWithoutEvent > 0 || a.eventsWithoutOrder > 0 ? 'red' : 'green'};
  }
  return null;
}
