import type {Envelope} from './envelope.js';

/** Tells the customer how their order ended: one notification per outcome, however often it is delivered. */
export function notificationService(): {notified: Set<string>; restoreNotified(outcomeEventId: string): void; notify(e: Envelope): {orderId: string; text: string; outcomeEventId: string} | null} {
  const notified = new Set<string>();
  return {
    notified,
    restoreNotified: (id) => notified.add(id),
    notify(e) {
      if ((e.type !== 'OrderCompleted' && e.type !== 'OrderCancelled') || notified.has(e.eventId)) return null;
      notified.add(e.eventId);
      const text = e.type === 'OrderCompleted' ? `Your order ${e.orderId} is confirmed.` : `Your order ${e.orderId} was cancelled (${e.payload.reason}); any charge has been refunded.`;
      return {orderId: e.orderId, text, outcomeEventId: e.eventId};
    },
  };
}
