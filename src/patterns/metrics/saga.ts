/** Metrics of the choreography saga, from the envelopes its services publish (onPublished). */
import {TOPIC_OF, type Envelope, type SagaEventType, type SagaTopics} from '../saga/envelope.js';
import {rule} from './counters.js';

/** The saga's events as a stream of typed events, for the counters. */
export type SagaPublished = {type: 'saga-published'; envelope: Envelope};

const OUTCOMES: Partial<Record<SagaEventType, string>> = {OrderCompleted: 'completed', OrderCancelled: 'cancelled'};
const COMPENSATIONS: Partial<Record<SagaEventType, string>> = {PaymentRefunded: 'payment-refunded', InventoryReleased: 'inventory-released'};

export function sagaMetrics(topics: SagaTopics) {
  const topicOf = (e: Envelope) => topics[TOPIC_OF[e.type]];
  return [
    rule<SagaPublished, 'saga-published'>('saga-published', {
      name: 'kpat_pattern_saga_events_total',
      help: 'Saga events published, by type (OrderPlaced, PaymentAuthorized …).',
      labelNames: ['topic', 'event'],
      labels: ({envelope: e}) => ({topic: topicOf(e), event: e.type}),
    }),
    rule<SagaPublished, 'saga-published'>('saga-published', {
      name: 'kpat_pattern_saga_outcomes_total',
      help: 'Sagas that ended, by outcome (completed, cancelled).',
      labelNames: ['topic', 'outcome'],
      labels: ({envelope: e}) => (OUTCOMES[e.type] ? {topic: topicOf(e), outcome: OUTCOMES[e.type]!} : null),
    }),
    rule<SagaPublished, 'saga-published'>('saga-published', {
      name: 'kpat_pattern_saga_compensations_total',
      help: 'Compensating steps published (payment refunded, inventory released).',
      labelNames: ['topic', 'compensation'],
      labels: ({envelope: e}) => (COMPENSATIONS[e.type] ? {topic: topicOf(e), compensation: COMPENSATIONS[e.type]!} : null),
    }),
  ];
}
