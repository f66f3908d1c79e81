import type {ConsumedRecord} from '../../kafka/records.js';
import {ProcessedIds} from '../idempotency.js';
import {eventIdOf} from './headers.js';

export type Delivery = 'applied' | 'duplicate' | 'no-id';

/**
 * The consumer's side of the outbox: at-least-once delivery means the same
 * event may arrive twice (a relay crashed between publish and mark), so it
 * applies an event id once and drops the copies.
 */
export class DedupConsumer {
  applied = 0;
  duplicates = 0;
  withoutId = 0;

  constructor(private readonly seen = new ProcessedIds()) {}

  offer(r: Pick<ConsumedRecord, 'headers' | 'value'>, apply: (eventId: string) => void = () => {}): Delivery {
    const id = eventIdOf(r);
    if (id === null) {
      this.withoutId++;
      return 'no-id';
    }
    if (this.seen.has(id)) {
      this.duplicates++;
      return 'duplicate';
    }
    this.seen.add(id);
    this.applied++;
    apply(id);
    return 'applied';
  }
}
