import {z} from 'zod';
import type {OutgoingMessage} from '../../kafka/publisher.js';
import {RUN_HEADER} from '../run-log.js';
import {chance, prng} from '../../core/random.js';
import type {ProjectorBug} from './schema.js';

/** A payment or a refund, in cents so totals are exact. */
export const PaymentSchema = z.object({
  paymentId: z.string().min(1),
  customerId: z.string().min(1),
  kind: z.enum(['payment', 'refund']),
  amountCents: z.number().int().positive(),
});
export type Payment = z.infer<typeof PaymentSchema>;

export interface PaymentsWorkload {
  topic: string;
  seed: number;
  customers: number;
  refundRate: number;
  runId: string;
}

/** Record i of a run: deterministic for a seed, keyed by customer so a customer's records stay in order on one partition. */
export function paymentRecord(w: PaymentsWorkload, i: number): OutgoingMessage {
  const rand = prng(w.seed * 1_000_003 + i);
  const payment: Payment = {
    paymentId: `p-${w.runId}-${i}`,
    customerId: `c-${Math.floor(rand() * w.customers)}`,
    kind: chance(w.seed, 'refund', i) < w.refundRate ? 'refund' : 'payment',
    amountCents: 500 + Math.floor(rand() * 49_500),
  };
  return {topic: w.topic, key: payment.customerId, value: JSON.stringify(payment), headers: {[RUN_HEADER]: w.runId}};
}

/** How a projector version adds one record to a customer's total. */
export type ApplyPayment = (totalCents: number, p: Payment) => number;

/** The fixed projector: payments add, refunds subtract. */
export const applyFixed: ApplyPayment = (total, p) => total + (p.kind === 'refund' ? -p.amountCents : p.amountCents);

export const APPLY_WITH_BUG: Record<ProjectorBug, ApplyPayment> = {
  'refunds-added': (total, p) => total + p.amountCents,
  'refunds-ignored': (total, p) => (p.kind === 'refund' ? total : total + p.amountCents),
};

/** The read model computed from scratch: every payment folded in order with the fixed logic. */
export function totalsFromScratch(payments: Payment[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const p of payments) totals.set(p.customerId, applyFixed(totals.get(p.customerId) ?? 0, p));
  return totals;
}

/** Customers whose totals differ between two models, with both values (missing: null). */
export function modelDifferences(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): Array<{customerId: string; a: number | null; b: number | null}> {
  const customers = [...new Set([...a.keys(), ...b.keys()])].sort(byCustomer);
  return customers.filter((c) => a.get(c) !== b.get(c)).map((c) => ({customerId: c, a: a.get(c) ?? null, b: b.get(c) ?? null}));
}

/** c-2 before c-10. */
export const byCustomer = (x: string, y: string) => x.localeCompare(y, 'en', {numeric: true});

/** 123456 → "1234.56". */
export const cents = (n: number | null) => (n === null ? 'nothing' : `${n < 0 ? '-' : ''}${Math.floor(Math.abs(n) / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`);
