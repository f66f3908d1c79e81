import type {OutgoingMessage} from '../../kafka/publisher.js';
import {eventIdOf, type Envelope, type SagaTopics} from '../../patterns/saga/envelope.js';
import {prng} from '../../core/random.js';
import {runHeaders} from '../run-log.js';
import type {SagaScenario} from './schema.js';

/** Customer and product ids are per run, so every run starts from the opening balances and stock. */
export const customerId = (runId: string, k: number) => `c-${runId}-${k}`;
export const productId = (runId: string, k: number) => `p-${runId}-${k}`;

/** Order i of a run as an OrderPlaced event: deterministic for a seed. */
export function orderPlaced(s: SagaScenario, runId: string, i: number): Envelope<'OrderPlaced'> {
  const rand = prng(s.workload.seed * 7919 + i);
  const w = s.workload;
  const orderId = `o-${runId}-${i}`;
  return {
    eventId: eventIdOf('OrderPlaced', orderId),
    type: 'OrderPlaced',
    orderId,
    correlationId: orderId,
    causationId: null,
    timestamp: new Date().toISOString(),
    runId,
    payload: {
      customerId: customerId(runId, Math.floor(rand() * w.customers)),
      productId: productId(runId, Math.floor(rand() * w.products)),
      quantity: w.quantity.min + Math.floor(rand() * (w.quantity.max - w.quantity.min + 1)),
      amount: Math.round((w.amount.min + rand() * (w.amount.max - w.amount.min)) * 100) / 100,
    },
  };
}

export function orderMessage(topics: SagaTopics, e: Envelope, scenario: string): OutgoingMessage {
  return {topic: topics.orders, key: e.orderId, value: JSON.stringify(e), headers: {'kpat-event-type': e.type, ...runHeaders(scenario, e.runId)}};
}
