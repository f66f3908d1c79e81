/**
 * Prometheus counters for the patterns, for library users and scenario runs alike: bind a
 * pattern's event stream to a prom-client registry and its `kpat_pattern_…` counters follow.
 *
 *   const metrics = new PatternMetrics();            // or new PatternMetrics(yourRegistry)
 *   metrics.deadLetter(events);                      // dead-letter and retry-ladder PatternEvents
 *   res.end(await metrics.registry.metrics());
 *
 * Adding a pattern: a rules file beside this one (see dead-letter.ts) and one method here.
 */
import {Counter, Registry} from 'prom-client';
import {EventStream, type Subscribable} from '../../core/event-stream.js';
import type {RedriveResult} from '../dead-letter/redrive.js';
import type {PatternEvent} from '../events.js';
import type {ProcessorEvent} from '../exactly-once/events.js';
import type {Envelope, SagaTopics} from '../saga/envelope.js';
import type {WindowEvent} from '../window/events.js';
import {bindCounters, counterIn} from './counters.js';
import {DEAD_LETTER_METRICS} from './dead-letter.js';
import {EXACTLY_ONCE_METRICS} from './exactly-once.js';
import {sagaMetrics, type SagaPublished} from './saga.js';
import {WINDOW_METRICS} from './window.js';

export {bindCounters, rule, type CounterRule} from './counters.js';

/** Where a stream's events come from, for patterns whose events do not say. */
export interface StreamLabels {
  topic: string;
  group: string;
}

const REDRIVEN = {name: 'kpat_pattern_redriven_total', help: 'Dead letters sent back to a topic by a redrive.', labelNames: ['topic']};

/** Every pattern counter, to declare up front: a scrape lists them all, counted or not yet. */
const ALL_COUNTERS = [...DEAD_LETTER_METRICS, ...WINDOW_METRICS, ...EXACTLY_ONCE_METRICS, ...sagaMetrics({orders: '', payments: '', inventory: '', outcomes: '', notifications: ''}), REDRIVEN];

export class PatternMetrics {
  constructor(readonly registry: Registry = new Registry()) {
    for (const c of ALL_COUNTERS) counterIn(registry, c);
  }

  /** Dead-letter and retry-ladder events: handled, failed attempts, retried per rung, dead-lettered by reason, skipped. */
  deadLetter(events: Subscribable<PatternEvent>): () => void {
    return bindCounters(events, this.registry, DEAD_LETTER_METRICS);
  }

  /** Windowed aggregation events: windows emitted, late records, skipped records. */
  window(events: Subscribable<WindowEvent>, labels: StreamLabels): () => void {
    return bindCounters(events, this.registry, WINDOW_METRICS, {...labels});
  }

  /** Exactly-once processor events: records processed, units committed or aborted (by cause), fences. */
  exactlyOnce(events: Subscribable<ProcessorEvent>, labels: StreamLabels): () => void {
    return bindCounters(events, this.registry, EXACTLY_ONCE_METRICS, {...labels});
  }

  /** A saga's published envelopes (pass the result as a service's onPublished): events, outcomes, compensations. */
  saga(topics: SagaTopics): (envelope: Envelope) => void {
    const stream = new EventStream<SagaPublished>();
    bindCounters(stream, this.registry, sagaMetrics(topics));
    return (envelope) => stream.emit({type: 'saga-published', envelope});
  }

  /** Dead letters a redrive (not a dry run) sent back, per destination topic. */
  redriven(result: RedriveResult): void {
    const counter: Counter = counterIn(this.registry, REDRIVEN);
    for (const s of result.sent) counter.inc({topic: s.to});
  }
}
