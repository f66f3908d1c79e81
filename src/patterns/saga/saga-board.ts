import type {Envelope, SagaEventType} from './envelope.js';

/** One step of a saga as a person reads it: placed ✓ → paid ✓ → inventory ✗ → refunded ↩ → cancelled. */
export interface SagaStep {
  step: 'placed' | 'paid' | 'payment' | 'reserved' | 'inventory' | 'refunded' | 'released' | 'completed' | 'cancelled';
  mark: 'ok' | 'failed' | 'compensated' | 'outcome';
  at: number;
  detail?: string;
}

export type SagaState = 'placed' | 'paid' | 'reserved' | 'completed' | 'compensating' | 'cancelled';

export interface SagaView {
  orderId: string;
  state: SagaState;
  steps: SagaStep[];
  updatedAt: number;
}

const STEP_OF: Record<SagaEventType, Omit<SagaStep, 'at'>> = {
  OrderPlaced: {step: 'placed', mark: 'ok'},
  PaymentAuthorized: {step: 'paid', mark: 'ok'},
  PaymentDeclined: {step: 'payment', mark: 'failed'},
  InventoryReserved: {step: 'reserved', mark: 'ok'},
  InventoryRejected: {step: 'inventory', mark: 'failed'},
  PaymentRefunded: {step: 'refunded', mark: 'compensated'},
  InventoryReleased: {step: 'released', mark: 'compensated'},
  OrderCompleted: {step: 'completed', mark: 'outcome'},
  OrderCancelled: {step: 'cancelled', mark: 'outcome'},
};

/**
 * The state of every saga, built from its events as they are published: what
 * the live board shows. A cancelled saga stays "compensating" until the charge
 * and the reservation it made are undone.
 */
export class SagaBoard {
  private readonly sagas = new Map<string, SagaView & {seen: Set<string>}>();

  apply(e: Envelope): void {
    let saga = this.sagas.get(e.orderId);
    if (!saga) this.sagas.set(e.orderId, (saga = {orderId: e.orderId, state: 'placed', steps: [], updatedAt: 0, seen: new Set()}));
    if (saga.seen.has(e.eventId)) return; // a duplicate delivery is the same step
    saga.seen.add(e.eventId);
    const at = Date.parse(e.timestamp);
    const reason = 'reason' in e.payload ? e.payload.reason : undefined;
    saga.steps.push({...STEP_OF[e.type], at, ...(reason ? {detail: reason} : {})});
    saga.steps.sort((a, b) => a.at - b.at);
    saga.updatedAt = Math.max(saga.updatedAt, at);
    saga.state = stateOf(saga.steps);
  }

  stateOf(orderId: string): SagaState | undefined {
    return this.sagas.get(orderId)?.state;
  }

  get size(): number {
    return this.sagas.size;
  }

  counts(): Record<SagaState, number> {
    const counts: Record<SagaState, number> = {placed: 0, paid: 0, reserved: 0, completed: 0, compensating: 0, cancelled: 0};
    for (const s of this.sagas.values()) counts[s.state]++;
    return counts;
  }

  recent(n: number): SagaView[] {
    return [...this.sagas.values()]
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, n)
      .map(({seen: _seen, ...view}) => view);
  }
}

function stateOf(steps: SagaStep[]): SagaState {
  const has = (s: SagaStep['step']) => steps.some((x) => x.step === s);
  if (has('completed')) return 'completed';
  if (has('cancelled') || has('payment') || has('inventory')) {
    const owesRefund = has('paid') && !has('refunded');
    const owesRelease = has('reserved') && !has('released');
    return has('cancelled') && !owesRefund && !owesRelease ? 'cancelled' : 'compensating';
  }
  if (has('reserved')) return 'reserved';
  if (has('paid')) return 'paid';
  return 'placed';
}
