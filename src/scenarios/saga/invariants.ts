import type {InvariantResult} from '../report.js';
import type {Envelope} from '../../patterns/saga/envelope.js';
import {ofType, type SagaLog} from './saga-log.js';

const sample = (xs: string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? ` … (+${xs.length - 5})` : '');
const money = (n: number) => (Math.round(n * 100) / 100).toFixed(2);

function perOrder(log: SagaLog, check: (orderId: string, events: Envelope[]) => string | null): string[] {
  const problems: string[] = [];
  for (const placed of ofType(log.events, 'OrderPlaced')) {
    const problem = check(placed.orderId, log.byOrder.get(placed.orderId) ?? []);
    if (problem) problems.push(`${placed.orderId}: ${problem}`);
  }
  return problems;
}

const count = (events: Envelope[], type: Envelope['type']) => events.filter((e) => e.type === type).length;

/** The saga's invariants, each judged from the events read back from the topics. */
export function sagaInvariants(log: SagaLog, opening: {stock: number}): InvariantResult[] {
  const result = (name: string, problems: string[], okDetail: string): InvariantResult => ({name, ok: problems.length === 0, detail: problems.length === 0 ? okDetail : `${problems.length} violations: ${sample(problems)}`});
  const orders = ofType(log.events, 'OrderPlaced');
  const completed = ofType(log.events, 'OrderCompleted');
  const cancelled = ofType(log.events, 'OrderCancelled');

  const oneOutcome = perOrder(log, (_, es) => {
    const n = count(es, 'OrderCompleted') + count(es, 'OrderCancelled');
    return n === 1 ? null : `${n} outcomes`;
  });
  const neverBoth = perOrder(log, (_, es) => (count(es, 'OrderCompleted') > 0 && count(es, 'OrderCancelled') > 0 ? 'both completed and cancelled' : null));
  const refunds = perOrder(log, (_, es) => {
    const charged = count(es, 'PaymentAuthorized') > 0;
    const failedLater = count(es, 'OrderCancelled') > 0;
    const n = count(es, 'PaymentRefunded');
    if (charged && failedLater) return n === 1 ? null : `charged then cancelled, ${n} refunds`;
    return n === 0 ? null : `${n} refunds without a charge to undo`;
  });
  const releases = perOrder(log, (_, es) => {
    const reserved = count(es, 'InventoryReserved') > 0;
    const isCancelled = count(es, 'OrderCancelled') > 0;
    const n = count(es, 'InventoryReleased');
    if (reserved && isCancelled) return n === 1 ? null : `reserved then cancelled, ${n} releases`;
    return n === 0 ? null : `${n} releases without a reservation to undo`;
  });

  const charged = ofType(log.events, 'PaymentAuthorized').reduce((s, e) => s + e.payload.amount, 0);
  const refunded = ofType(log.events, 'PaymentRefunded').reduce((s, e) => s + e.payload.amount, 0);
  const amountOf = new Map(orders.map((o) => [o.orderId, o.payload.amount]));
  const completedTotal = completed.reduce((s, e) => s + (amountOf.get(e.orderId) ?? 0), 0);
  const moneyProblems = Math.abs(charged - refunded - completedTotal) < 0.005 ? [] : [`charged ${money(charged)} − refunded ${money(refunded)} ≠ completed ${money(completedTotal)}`];

  const stockProblems: string[] = [];
  const net = new Map<string, number>();
  for (const e of ofType(log.events, 'InventoryReserved')) {
    if (e.payload.stockAfter < 0) stockProblems.push(`${e.payload.productId} at ${e.payload.stockAfter} after ${e.orderId}`);
    net.set(e.payload.productId, (net.get(e.payload.productId) ?? 0) + e.payload.quantity);
  }
  for (const e of ofType(log.events, 'InventoryReleased')) net.set(e.payload.productId, (net.get(e.payload.productId) ?? 0) - e.payload.quantity);
  for (const [product, held] of net) if (held > opening.stock) stockProblems.push(`${product}: ${held} held of ${opening.stock}`);
  const balanceProblems = [...ofType(log.events, 'PaymentAuthorized'), ...ofType(log.events, 'PaymentRefunded')].filter((e) => e.payload.balanceAfter < 0).map((e) => `${e.payload.customerId} at ${money(e.payload.balanceAfter)}`);

  return [
    result('exactly-one-outcome', oneOutcome, `all ${orders.length} orders have exactly one outcome (${completed.length} completed, ${cancelled.length} cancelled)`),
    result('refund-when-charged-then-failed', refunds, `${ofType(log.events, 'PaymentRefunded').length} refunds, one for each order charged and then cancelled`),
    result('stock-released-when-cancelled', releases, `${ofType(log.events, 'InventoryReleased').length} releases, one for each order reserved and then cancelled`),
    result('never-completed-and-cancelled', neverBoth, 'no order is both completed and cancelled'),
    result('money-adds-up', moneyProblems, `charged ${money(charged)} − refunded ${money(refunded)} = completed ${money(completedTotal)}`),
    result('stock-never-negative', [...stockProblems, ...balanceProblems], 'stock and balances never went below zero'),
  ];
}

/** True once every order has an outcome and every compensation it needs is in the log. */
export function sagasSettled(log: SagaLog): boolean {
  return ofType(log.events, 'OrderPlaced').every(({orderId}) => {
    const es = log.byOrder.get(orderId) ?? [];
    if (count(es, 'OrderCompleted') > 0) return true;
    if (count(es, 'OrderCancelled') === 0) return false;
    const owesRefund = count(es, 'PaymentAuthorized') > 0 && count(es, 'PaymentRefunded') === 0;
    const owesRelease = count(es, 'InventoryReserved') > 0 && count(es, 'InventoryReleased') === 0;
    return !owesRefund && !owesRelease;
  });
}
