import {follow, type Envelope} from './envelope.js';
import type {SagaServiceLogic} from './service.js';

export interface InventoryOptions {
  openingStock: (productId: string) => number;
  injectedFailure?: (orderId: string) => string | null;
}

/**
 * Reserves stock once an order is paid (InventoryReserved, or InventoryRejected
 * when short) and releases a reservation when the order is cancelled — once
 * per order; it never reserves for an order it already saw cancelled.
 */
export function inventoryService(opts: InventoryOptions): SagaServiceLogic & {stock: Map<string, number>} {
  const stock = new Map<string, number>();
  const reserved = new Map<string, {productId: string; quantity: number}>();
  const settled = new Set<string>(); // rejected or released
  const cancelled = new Set<string>();
  const level = (p: string) => stock.get(p) ?? opts.openingStock(p);

  const apply = (e: Envelope) => {
    if (e.type === 'InventoryReserved') {
      reserved.set(e.orderId, {productId: e.payload.productId, quantity: e.payload.quantity});
      stock.set(e.payload.productId, e.payload.stockAfter);
    } else if (e.type === 'InventoryReleased') {
      settled.add(e.orderId);
      stock.set(e.payload.productId, e.payload.stockAfter);
    } else if (e.type === 'InventoryRejected') {
      settled.add(e.orderId);
    } else if (e.type === 'OrderCancelled') {
      cancelled.add(e.orderId);
    }
  };

  return {
    name: 'inventory',
    consumes: ['payments', 'outcomes'],
    stock,
    restore: apply,
    handle(e) {
      if (e.type === 'PaymentAuthorized') {
        if (reserved.has(e.orderId) || settled.has(e.orderId) || cancelled.has(e.orderId)) return [];
        const {productId, quantity} = e.payload;
        const injected = opts.injectedFailure?.(e.orderId) ?? null;
        const available = level(productId);
        const out =
          injected !== null || available < quantity
            ? follow(e, 'InventoryRejected', {productId, quantity, reason: injected ?? `out of stock (${available} < ${quantity})`})
            : follow(e, 'InventoryReserved', {productId, quantity, stockAfter: available - quantity});
        apply(out);
        return [out];
      }
      if (e.type === 'OrderCancelled') {
        cancelled.add(e.orderId);
        const r = reserved.get(e.orderId);
        if (!r || settled.has(e.orderId)) return [];
        const out = follow(e, 'InventoryReleased', {productId: r.productId, quantity: r.quantity, stockAfter: level(r.productId) + r.quantity, reason: e.payload.reason});
        apply(out);
        return [out];
      }
      return [];
    },
  };
}
