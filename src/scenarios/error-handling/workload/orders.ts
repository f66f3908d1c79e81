import {z} from 'zod';
import type {OutgoingMessage} from '../../../kafka/publisher.js';
import {chance, prng} from '../../../core/random.js';

/** The order events the DLT and retry scenarios send, and the schema their handlers validate. */
export const OrderSchema = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  amount: z.number().positive(),
  currency: z.enum(['EUR', 'USD']),
  items: z.array(z.object({sku: z.string(), qty: z.number().int().positive()})).min(1),
  placedAt: z.string(),
});
export type Order = z.infer<typeof OrderSchema>;

export type RecordKind = 'good' | 'malformed' | 'invalid';

export {RUN_HEADER} from '../../run-log.js';
import {RUN_HEADER} from '../../run-log.js';
export const RECORD_ID_HEADER = 'kpat-record-id';
export const KIND_HEADER = 'kpat-kind';

export interface OrdersWorkload {
  topic: string;
  count: number;
  seed: number;
  poisonRate: number;
  customers: number;
  runId: string;
}

/**
 * Record i of a run: a valid order, or a poison pill — JSON cut short
 * (malformed) or an order that breaks the schema (invalid). Deterministic
 * for a seed; ids carry the run id so runs never mix.
 */
export function orderRecord(w: OrdersWorkload, i: number): OutgoingMessage & {kind: RecordKind; recordId: string} {
  const rand = prng(w.seed * 1_000_003 + i);
  const recordId = `${w.runId}-${i}`;
  const order: Order = {
    orderId: `o-${recordId}`,
    customerId: `c-${Math.floor(rand() * w.customers)}`,
    amount: Math.round((5 + rand() * 495) * 100) / 100,
    currency: rand() < 0.7 ? 'EUR' : 'USD',
    items: [{sku: `sku-${Math.floor(rand() * 100)}`, qty: 1 + Math.floor(rand() * 3)}],
    placedAt: new Date(1_700_000_000_000 + i * 1000).toISOString(),
  };
  const poison = chance(w.seed, 'poison', i) < w.poisonRate;
  const kind: RecordKind = !poison ? 'good' : chance(w.seed, 'poison-kind', i) < 0.5 ? 'malformed' : 'invalid';
  const json = JSON.stringify(order);
  const value =
    kind === 'good'
      ? json
      : kind === 'malformed'
        ? json.slice(0, Math.max(1, Math.floor(json.length * (0.3 + 0.5 * rand()))))
        : JSON.stringify({...order, amount: -order.amount, customerId: ''});
  return {
    topic: w.topic,
    key: order.orderId,
    value,
    headers: {[RUN_HEADER]: w.runId, [RECORD_ID_HEADER]: recordId, [KIND_HEADER]: kind},
    kind,
    recordId,
  };
}
