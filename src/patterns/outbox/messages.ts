import type {OutgoingMessage} from '../../kafka/publisher.js';
import {OutboxHeader} from './headers.js';
import type {OutboxEntry} from './orders.js';

/**
 * An outbox event as Debezium's outbox event router publishes it: key = the
 * aggregate id (its events stay on one partition, in order), value = the
 * payload, the event id and type in headers.
 */
export function eventMessage(topic: string, e: OutboxEntry): OutgoingMessage {
  return {
    topic,
    key: e.aggregateId,
    value: JSON.stringify(e.payload),
    headers: {[OutboxHeader.id]: e.id, [OutboxHeader.eventType]: e.eventType, [OutboxHeader.aggregateType]: e.aggregateType},
  };
}
