import {follow, type Envelope} from './envelope.js';
import type {SagaServiceLogic} from './service.js';

export interface PaymentOptions {
  /** Opening balance of a customer the service has not seen yet. */
  openingBalance: (customerId: string) => number;
  /** Whether this payment must fail (fault injection): the reason, or null. */
  injectedFailure?: (orderId: string) => string | null;
}

/**
 * Charges the customer when an order is placed (PaymentAuthorized, or
 * PaymentDeclined when funds are short) and refunds the charge when the saga
 * fails later (inventory rejected the order, or the order was cancelled):
 * exactly once per order, whatever is redelivered.
 */
export function paymentService(opts: PaymentOptions): SagaServiceLogic & {balances: Map<string, number>} {
  const balances = new Map<string, number>();
  const charged = new Map<string, {customerId: string; amount: number}>();
  const settled = new Set<string>(); // declined or refunded: nothing more to do
  const cancelled = new Set<string>();
  const balance = (c: string) => balances.get(c) ?? opts.openingBalance(c);

  const apply = (e: Envelope) => {
    if (e.type === 'PaymentAuthorized') {
      charged.set(e.orderId, {customerId: e.payload.customerId, amount: e.payload.amount});
      balances.set(e.payload.customerId, e.payload.balanceAfter);
    } else if (e.type === 'PaymentRefunded') {
      settled.add(e.orderId);
      balances.set(e.payload.customerId, e.payload.balanceAfter);
    } else if (e.type === 'PaymentDeclined') {
      settled.add(e.orderId);
    } else if (e.type === 'OrderCancelled') {
      cancelled.add(e.orderId);
    }
  };

  const refund = (cause: Envelope, reason: string): Envelope[] => {
    const charge = charged.get(cause.orderId);
    if (!charge || settled.has(cause.orderId)) return [];
    const out = follow(cause, 'PaymentRefunded', {customerId: charge.customerId, amount: charge.amount, balanceAfter: balance(charge.customerId) + charge.amount, reason});
    apply(out);
    return [out];
  };

  return {
    name: 'payment',
    consumes: ['orders', 'inventory', 'outcomes'],
    balances,
    restore: apply,
    handle(e) {
      switch (e.type) {
        case 'OrderPlaced': {
          if (charged.has(e.orderId) || settled.has(e.orderId) || cancelled.has(e.orderId)) return [];
          const {customerId, amount, productId, quantity} = e.payload;
          const injected = opts.injectedFailure?.(e.orderId) ?? null;
          const funds = balance(customerId);
          const out =
            injected !== null || funds < amount
              ? follow(e, 'PaymentDeclined', {customerId, amount, reason: injected ?? `insufficient funds (${funds.toFixed(2)} < ${amount.toFixed(2)})`})
              : follow(e, 'PaymentAuthorized', {customerId, amount, productId, quantity, balanceAfter: funds - amount});
          apply(out);
          return [out];
        }
        case 'InventoryRejected':
          return refund(e, `inventory rejected: ${e.payload.reason}`);
        case 'OrderCancelled':
          cancelled.add(e.orderId);
          return refund(e, `order cancelled: ${e.payload.reason}`);
        default:
          return [];
      }
    },
  };
}
