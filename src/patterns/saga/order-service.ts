import {follow, type Envelope} from './envelope.js';
import type {SagaServiceLogic} from './service.js';

/**
 * Watches each order's saga and decides its outcome once: completed when its
 * stock is reserved (so it was paid), cancelled when payment is declined or
 * inventory rejects it — or when no outcome came within the deadline, which
 * makes the other services compensate what they did.
 */
export function orderService(opts: {deadlineMs: number; now?: () => number}): SagaServiceLogic & {expired(): Envelope[]; pending: Map<string, {placed: Envelope; at: number}>} {
  const now = opts.now ?? Date.now;
  const pending = new Map<string, {placed: Envelope<'OrderPlaced'>; at: number}>();
  const decided = new Set<string>();

  const apply = (e: Envelope) => {
    if (e.type === 'OrderPlaced' && !decided.has(e.orderId)) pending.set(e.orderId, {placed: e, at: Date.parse(e.timestamp)});
    if (e.type === 'OrderCompleted' || e.type === 'OrderCancelled') {
      decided.add(e.orderId);
      pending.delete(e.orderId);
    }
  };

  const decide = (cause: Envelope, outcome: 'completed' | 'cancelled', reason: string): Envelope[] => {
    if (decided.has(cause.orderId)) return [];
    const amount = pending.get(cause.orderId)?.placed.payload.amount ?? 0;
    const out = outcome === 'completed' ? follow(cause, 'OrderCompleted', {amount}) : follow(cause, 'OrderCancelled', {amount, reason});
    apply(out);
    return [out];
  };

  return {
    name: 'order',
    consumes: ['orders', 'payments', 'inventory'],
    pending,
    restore: apply,
    handle(e) {
      switch (e.type) {
        case 'OrderPlaced':
          apply(e);
          return [];
        case 'PaymentDeclined':
          return decide(e, 'cancelled', `payment declined: ${e.payload.reason}`);
        case 'InventoryRejected':
          return decide(e, 'cancelled', `inventory rejected: ${e.payload.reason}`);
        case 'InventoryReserved':
          return decide(e, 'completed', 'paid and reserved');
        default:
          return [];
      }
    },
    /** Orders past their deadline without an outcome: cancelled now. */
    expired() {
      const late = [...pending.values()].filter((p) => now() - p.at > opts.deadlineMs);
      return late.flatMap((p) => decide(p.placed, 'cancelled', `no outcome within ${opts.deadlineMs} ms`));
    },
  };
}
