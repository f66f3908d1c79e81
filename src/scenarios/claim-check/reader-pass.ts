import {createHash} from 'node:crypto';
import {EventStream} from '../../core/event-stream.js';
import type {Connection} from '../../kafka/connection.js';
import type {Publisher} from '../../kafka/publisher.js';
import {RecordConsumer} from '../../kafka/record-consumer.js';
import {claimCheckHandler} from '../../patterns/claim-check/consumer.js';
import type {BlobStores} from '../../patterns/claim-check/open-store.js';
import {deadLetterHandler} from '../../patterns/dead-letter/dead-letter-handler.js';
import type {PatternEvent} from '../../patterns/events.js';
import {thisRunOnly} from '../run-log.js';
import type {PassStats} from './events.js';

export interface PassOptions {
  conn: Connection;
  groupId: string;
  topic: string;
  runId: string;
  stores: BlobStores;
  publisher: Publisher;
  /** The run's records: the pass is settled when it is done with each. */
  expected: number;
  emit: (e: PatternEvent) => void;
}

/**
 * One reader of the run's records: a consumer group member resolving each
 * reference (the dead-letter handler takes the records whose blob is missing
 * or corrupt) and noting the sha-256 of every payload it read, by document id.
 */
export class ReaderPass {
  readonly stats: PassStats = {handled: 0, resolved: 0, deadLettered: 0, done: 0};
  /** Document id → sha-256 of the payload this reader got. */
  readonly read = new Map<string, string>();
  /** Document id → the reason it was dead-lettered. */
  readonly deadLettered = new Map<string, string>();

  private constructor(
    private readonly opts: PassOptions,
    private readonly consumer: RecordConsumer,
  ) {}

  static async start(opts: PassOptions): Promise<ReaderPass> {
    const events = new EventStream<PatternEvent>();
    let pass: ReaderPass | null = null;
    const consumer = new RecordConsumer({
      conn: opts.conn,
      groupId: opts.groupId,
      topics: [opts.topic],
      clientId: `claims-${opts.groupId}`,
      handle: deadLetterHandler({
        ...claimCheckHandler({
          stores: opts.stores,
          group: opts.groupId,
          handle: async (payload, resolved, record) => {
            pass!.read.set(record.key?.toString() ?? '', createHash('sha256').update(payload ?? Buffer.alloc(0)).digest('hex'));
            if (resolved.reference) pass!.stats.resolved++;
          },
        }),
        group: opts.groupId,
        publisher: opts.publisher,
        events,
        filter: thisRunOnly(opts.runId),
      }),
    });
    pass = new ReaderPass(opts, consumer);
    events.subscribe((e) => {
      if (e.type === 'handled') pass.stats.handled++;
      if (e.type === 'dead-lettered') {
        pass.stats.deadLettered++;
        pass.deadLettered.set(e.record.key ?? '', e.reason);
      }
      if (e.type === 'handled' || e.type === 'dead-lettered') pass.stats.done++;
      opts.emit(e);
    });
    await consumer.start();
    return pass;
  }

  get settled(): boolean {
    return this.stats.done >= this.opts.expected;
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }
}
