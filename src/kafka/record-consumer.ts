import type {Consumer, KafkaMessage} from 'kafkajs';
import {createKafka, translateKafkaError} from './client.js';
import type {Connection} from './connection.js';
import type {ConsumedRecord} from './records.js';

/**
 * What a record handler decides: the record is finished (its offset may be
 * committed), or it must wait until a time — the partition pauses without
 * busy-looping and the same record is handed over again when due.
 */
export type RecordOutcome = {kind: 'done'} | {kind: 'hold'; until: number};

export const DONE: RecordOutcome = {kind: 'done'};

export interface RecordConsumerOptions {
  conn: Connection;
  groupId: string;
  topics: string[];
  /** Where a group without committed offsets starts. */
  fromBeginning?: boolean;
  clientId?: string;
  sessionTimeoutMs?: number;
  /** How many partitions are handled at once; a held partition never blocks the others. */
  partitionsConcurrently?: number;
  handle: (record: ConsumedRecord) => Promise<RecordOutcome>;
  onAssigned?: (partitions: Array<{topic: string; partition: number}>) => void;
  onCrash?: (error: Error) => void;
}

/** How often a long batch stops to heartbeat (kafkajs sends one only when its interval is due). */
const HEARTBEAT_CHECK_MS = 100;

function toRecord(topic: string, partition: number, m: KafkaMessage): ConsumedRecord {
  return {topic, partition, offset: Number(m.offset), timestamp: Number(m.timestamp), key: m.key, value: m.value, headers: m.headers ?? {}};
}

/**
 * A consumer-group member that hands records to `handle` one partition at a
 * time, in order, and commits a record's offset only after its handler
 * finished (at-least-once: a crash before the commit redelivers it).
 */
export class RecordConsumer {
  private consumer: Consumer | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private crashed = false;

  constructor(private readonly opts: RecordConsumerOptions) {}

  async start(): Promise<void> {
    const o = this.opts;
    const consumer = createKafka(o.conn, {clientIdSuffix: o.clientId}).consumer({
      groupId: o.groupId,
      sessionTimeout: o.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const assigned = Object.entries(e.payload.memberAssignment).flatMap(([topic, ps]) => ps.map((partition) => ({topic, partition})));
      o.onAssigned?.(assigned);
    });
    consumer.on(consumer.events.CRASH, (e) => {
      if (!this.stopped && !e.payload.restart) o.onCrash?.(e.payload.error);
    });
    try {
      await consumer.connect();
      for (const topic of o.topics) await consumer.subscribe({topic, fromBeginning: o.fromBeginning ?? true});
      await consumer.run({
        autoCommit: true,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: o.partitionsConcurrently ?? 8,
        eachBatch: async ({batch, resolveOffset, heartbeat, pause, commitOffsetsIfNecessary, isRunning, isStale}) => {
          // Resolving an offset costs kafkajs a string→Long→string round trip, and an awaited
          // heartbeat a chain of promises: per record they cost as much as the record's handling.
          // Finished records are resolved together before anything that can commit them (a
          // heartbeat commits on a rebalance; the end of the batch commits), so a record is still
          // committed only once its handler finished.
          let finished: string | null = null;
          const resolveFinished = () => {
            if (finished !== null) resolveOffset(finished);
            finished = null;
          };
          // Only consumer.seek() makes a batch stale, and this class never seeks: checking it
          // per batch and per heartbeat spares kafkajs building a map key for every record.
          if (isStale()) return;
          let lastBeat = Date.now();
          for (const message of batch.messages) {
            if (!isRunning() || this.stopped) return resolveFinished();
            const outcome = await o.handle(toRecord(batch.topic, batch.partition, message));
            // A crash between the handler's side effect and the commit: the offset stays unresolved.
            if (this.crashed) return resolveFinished();
            if (outcome.kind === 'hold') {
              // Leave the offset unresolved: after resume the fetch starts again at this record.
              const resume = pause();
              const timer = setTimeout(() => {
                this.timers.delete(timer);
                if (!this.stopped) resume();
              }, Math.max(0, outcome.until - Date.now()));
              this.timers.add(timer);
              break;
            }
            finished = message.offset;
            if (Date.now() - lastBeat >= HEARTBEAT_CHECK_MS) {
              resolveFinished();
              await heartbeat();
              lastBeat = Date.now();
              if (isStale()) return;
            }
          }
          resolveFinished();
          await commitOffsetsIfNecessary();
        },
      });
    } catch (error) {
      throw translateKafkaError(error, o.conn);
    }
  }

  /**
   * Dies like a process would between doing its work and committing it: the
   * record being handled is not committed (it is delivered again, to this
   * group's next owner of the partition), then the member goes away.
   */
  crash(): Promise<void> {
    this.crashed = true;
    return this.stop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.consumer?.disconnect().catch(() => {});
  }
}
