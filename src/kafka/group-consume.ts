import {createKafka, translateKafkaError} from './client.js';
import type {Connection} from './connection.js';
import type {ConsumedRecord} from './records.js';

export interface GroupReadOptions {
  topic: string;
  groupId: string;
  fromBeginning: boolean;
  signal?: AbortSignal;
}

/**
 * Reads as a member of a consumer group, committing what it has handed out:
 * for `kpat consume --group`, where sharing work and resuming are the point.
 */
export async function* readAsGroup(conn: Connection, opts: GroupReadOptions): AsyncGenerator<ConsumedRecord> {
  const consumer = createKafka(conn, {fast: true}).consumer({groupId: opts.groupId, allowAutoTopicCreation: false});
  // Each record waits in eachMessage until the caller has taken it and asked for the next,
  // so kafkajs commits only what was really handed out (nothing is skipped by --max or Ctrl-C).
  const queue: Array<{record: ConsumedRecord; taken: () => void; dropped: (e: Error) => void}> = [];
  let wake: (() => void) | null = null;
  let failure: unknown = null;
  let current: (typeof queue)[number] | null = null;
  const signalled = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  opts.signal?.addEventListener('abort', signalled);
  try {
    await consumer.connect();
    await consumer.subscribe({topic: opts.topic, fromBeginning: opts.fromBeginning});
    consumer.on(consumer.events.CRASH, (e) => {
      failure = e.payload.error;
      signalled();
    });
    await consumer.run({
      autoCommit: true,
      eachMessage: ({topic, partition, message}) =>
        new Promise<void>((taken, dropped) => {
          queue.push({
            record: {
              topic,
              partition,
              offset: Number(message.offset),
              timestamp: Number(message.timestamp),
              key: message.key,
              value: message.value,
              headers: message.headers ?? {},
            },
            taken,
            dropped,
          });
          signalled();
        }),
    });
    while (!opts.signal?.aborted) {
      if (failure) throw failure;
      const next = queue.shift();
      if (next) {
        current = next;
        yield next.record;
        current = null;
        next.taken();
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } catch (error) {
    throw translateKafkaError(error, conn, {topic: opts.topic, group: opts.groupId, operation: 'READ'});
  } finally {
    opts.signal?.removeEventListener('abort', signalled);
    // The caller stopped right after receiving `current`: it was handed out, so it may be committed.
    (current as {taken: () => void} | null)?.taken();
    for (const pending of queue.splice(0)) pending.dropped(new Error('consumer stopped before this record was handed out'));
    await consumer.disconnect().catch(() => {});
  }
}
