import type {Connection} from '../../../kafka/connection.js';
import type {Publisher} from '../../../kafka/publisher.js';
import {RecordConsumer} from '../../../kafka/record-consumer.js';
import type {TopicSpec} from '../../../kafka/topics.js';
import {deadLetterHandler, defaultDltTopic} from '../../../patterns/dead-letter/dead-letter-handler.js';
import type {EventStream} from '../../../core/event-stream.js';
import type {PatternEvent} from '../../../patterns/events.js';
import {headerText} from '../../../patterns/headers.js';
import type {RecordFilter} from '../../../patterns/record-filter.js';
import {ProcessedIds} from '../../../patterns/idempotency.js';
import {RetryLadder} from '../../../patterns/retry-ladder/retry-ladder.js';
import {backoffDelays, DEFAULT_DELAYS_MS, rungsFor, type Rung} from '../../../patterns/retry-ladder/rungs.js';
import type {FlakyDependency} from '../../faults.js';
import type {ParticipantSpec} from '../schema.js';
import {RECORD_ID_HEADER} from '../workload/orders.js';
import {orderProcessor} from './order-processor.js';

export interface ParticipantContext {
  conn: Connection;
  publisher: Publisher;
  events: EventStream<PatternEvent>;
  dependency?: FlakyDependency;
  /** Which records are the participant's work (the run's own). */
  filter?: RecordFilter;
}

/** A running pattern participant of a scenario. */
export interface Participant {
  spec: ParticipantSpec;
  dltTopic: string;
  /** Retry rungs (empty for the plain dead-letter pattern). */
  rungs: Rung[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function rungsOf(spec: ParticipantSpec): Rung[] {
  if (spec.pattern !== 'retry-ladder') return [];
  const delays = spec.delays ?? (spec.backoff ? backoffDelays(spec.backoff.kind === 'fixed' ? {kind: 'fixed', delayMs: spec.backoff.delay, maxAttempts: spec.backoff.maxAttempts} : {kind: 'exponential', initialMs: spec.backoff.initial, multiplier: spec.backoff.multiplier, maxDelayMs: spec.backoff.maxDelay, maxAttempts: spec.backoff.maxAttempts}) : DEFAULT_DELAYS_MS);
  return rungsFor(spec.topic, delays);
}

/** Topics a participant needs besides those the scenario lists: its rungs, with the source's partition count. */
export function derivedTopics(spec: ParticipantSpec, sourcePartitions: number): TopicSpec[] {
  return rungsOf(spec).map((r) => ({name: r.topic, partitions: sourcePartitions}));
}

export async function createParticipant(spec: ParticipantSpec, ctx: ParticipantContext): Promise<Participant> {
  const dltTopic = spec.dlt ?? defaultDltTopic(spec.topic);
  const processed = await ProcessedIds.fromTopic(ctx.conn, spec.output, (r) => headerText(r, RECORD_ID_HEADER) ?? null);
  const handler = orderProcessor({publisher: ctx.publisher, outputTopic: spec.output, processed, dependency: ctx.dependency});
  if (spec.pattern === 'retry-ladder') {
    const rungs = rungsOf(spec);
    const ladder = new RetryLadder({...handler, conn: ctx.conn, topic: spec.topic, group: spec.group, rungs, dltTopic, publisher: ctx.publisher, events: ctx.events, instances: spec.instances, filter: ctx.filter});
    return {spec, dltTopic, rungs, start: () => ladder.start(), stop: () => ladder.stop()};
  }
  const consumers = Array.from(
    {length: spec.instances},
    (_, i) =>
      new RecordConsumer({
        conn: ctx.conn,
        groupId: spec.group,
        topics: [spec.topic],
        clientId: `${spec.group}-${i}`,
        handle: deadLetterHandler({
          ...handler,
          group: spec.group,
          dltTopic: () => dltTopic,
          blockingRetries: {attempts: spec.blockingRetries.attempts, backoffMs: spec.blockingRetries.backoff},
          publisher: ctx.publisher,
          events: ctx.events,
          filter: ctx.filter,
        }),
      }),
  );
  return {
    spec,
    dltTopic,
    rungs: [],
    start: async () => {
      for (const c of consumers) await c.start();
    },
    stop: async () => {
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
