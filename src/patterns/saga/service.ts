import type {Connection} from '../../kafka/connection.js';
import type {Publisher} from '../../kafka/publisher.js';
import {sleep} from '../../core/sleep.js';
import {RecordConsumer} from '../../kafka/record-consumer.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {deadLetterHandler} from '../dead-letter/dead-letter-handler.js';
import type {EventStream} from '../../core/event-stream.js';
import type {PatternEvent} from '../events.js';
import {KpatHeader} from '../headers.js';
import type {RecordFilter} from '../record-filter.js';
import {EnvelopeSchema, TOPIC_OF, type Envelope, type SagaTopics} from './envelope.js';
import {KeyedMutex} from './keyed-mutex.js';

/**
 * One saga participant's logic: its state (a service's own database) and what
 * it does with each event. `handle` must be idempotent by order and event —
 * a redelivered or duplicated event finds the state already changed and does
 * nothing — and returns the events to publish.
 */
export interface SagaServiceLogic {
  name: string;
  consumes: Array<keyof SagaTopics>;
  /** Rebuilds the state from an event already in the log (on start, before consuming). */
  restore(event: Envelope): void;
  handle(event: Envelope): Promise<Envelope[]> | Envelope[];
}

export interface ServiceFaults {
  /** Delay before each event is handled (a slow dependency). */
  slowMs?: number;
  /** Chance that a published event is published a second time (at-least-once delivery made visible). */
  duplicate?: (event: Envelope) => boolean;
  /** Asked after each publish: true makes the instance that published crash before committing, then restart. */
  crashNow?: () => boolean;
  restartAfterMs?: number;
}

export interface ServiceOptions {
  conn: Connection;
  group: string;
  instances: number;
  topics: SagaTopics;
  publisher: Publisher;
  events: EventStream<PatternEvent>;
  faults?: ServiceFaults;
  /** Told about every event the service publishes (and each crash), for live views. */
  onPublished?: (event: Envelope) => void;
  onCrash?: (service: string, instance: number) => void;
  /** Only events it accepts are handled; the others are skipped (committed past, never dead-lettered). Default: all. */
  filter?: RecordFilter;
}

/**
 * Runs a saga service as a consumer group of `instances` members. Bad
 * envelopes go to the dead-letter topic of the topic they came from; events
 * are handled one order at a time; outputs are published with acks=all before
 * the input's offset is committed.
 */
export class SagaService {
  private readonly consumers: Array<RecordConsumer | null> = [];
  private readonly mutex = new KeyedMutex();
  private stopped = false;
  published = 0;

  constructor(
    readonly logic: SagaServiceLogic,
    private readonly opts: ServiceOptions,
  ) {}

  async start(): Promise<void> {
    for (let i = 0; i < this.opts.instances; i++) await this.startInstance(i);
  }

  private async startInstance(i: number): Promise<void> {
    const o = this.opts;
    const consumer: RecordConsumer = new RecordConsumer({
      conn: o.conn,
      groupId: o.group,
      topics: this.logic.consumes.map((t) => o.topics[t]),
      clientId: `${this.logic.name}-${i}`,
      handle: (record) => handle(record),
    });
    const handle = deadLetterHandler({
      group: o.group,
      filter: o.filter,
      schema: EnvelopeSchema,
      publisher: o.publisher,
      events: o.events,
      recordId: (r: ConsumedRecord) => r.key?.toString('utf8') ?? null,
      handle: async (event: Envelope) => {
        if (o.faults?.slowMs) await sleep(o.faults.slowMs);
        await this.mutex.run(event.orderId, async () => {
          const outputs = await this.logic.handle(event);
          if (outputs.length > 0) await this.publish(outputs);
        });
        if (o.faults?.crashNow?.()) void this.crashAndRestart(i, consumer);
      },
    });
    this.consumers[i] = consumer;
    await consumer.start();
  }

  /** Publishes decisions made outside an incoming event (a deadline passing), acks=all. */
  publishNow(outputs: Envelope[]): Promise<void> {
    return outputs.length > 0 ? this.publish(outputs) : Promise.resolve();
  }

  private async publish(outputs: Envelope[]): Promise<void> {
    const o = this.opts;
    const messages = outputs.flatMap((e) => {
      const m = {topic: o.topics[TOPIC_OF[e.type]], key: e.orderId, value: JSON.stringify(e), headers: {'kpat-event-type': e.type, [KpatHeader.runId]: e.runId}};
      return o.faults?.duplicate?.(e) ? [m, m] : [m];
    });
    await o.publisher.send(messages);
    this.published += outputs.length;
    for (const e of outputs) o.onPublished?.(e);
  }

  private async crashAndRestart(i: number, consumer: RecordConsumer): Promise<void> {
    if (this.consumers[i] !== consumer) return;
    this.consumers[i] = null;
    this.opts.onCrash?.(this.logic.name, i);
    await consumer.crash();
    await sleep(this.opts.faults?.restartAfterMs ?? 1500);
    if (!this.stopped) await this.startInstance(i);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.consumers.map((c) => c?.stop()));
  }
}
