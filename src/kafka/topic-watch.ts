import type {Connection} from './connection.js';
import {NoBrokerError} from '../core/errors.js';
import {EventStream, type LiveSource, type Subscribable} from '../core/event-stream.js';
import type {StartPosition} from './partition-reader.js';
import {tailPartitions} from './record-tail.js';
import type {ConsumedRecord} from './records.js';
import {TopicPoller, type ConnectionStatus, type TopicPollerOptions, type TopicSnapshot} from './topic-poller.js';

/** What a live view of a topic subscribes to. */
export interface TopicWatchSources {
  topic: string;
  snapshots: LiveSource<TopicSnapshot>;
  connection: LiveSource<ConnectionStatus>;
  records: Subscribable<ConsumedRecord>;
}

export interface TopicWatch extends TopicWatchSources {
  stop(): Promise<void>;
}

export interface TopicWatchOptions extends TopicPollerOptions {
  /** Where the record tail starts. */
  start: StartPosition;
  /** Start even when no broker answers yet (the sources say so and it keeps trying); otherwise fail like any command. */
  waitForBroker?: boolean;
  /** Turns each record into what is shown (Avro decoded to JSON); must not throw for bytes it cannot read. */
  display?: (record: ConsumedRecord) => Promise<ConsumedRecord>;
}

/**
 * Watches a topic without side effects: offsets, rates, lag and health from a poller,
 * and records from a group-less tail. Both reconnect on their own. The first poll runs
 * before this resolves, so a missing topic or partition fails here with the fix.
 */
export async function watchTopic(conn: Connection, opts: TopicWatchOptions): Promise<TopicWatch> {
  const poller = new TopicPoller(conn, opts);
  try {
    await poller.poll();
  } catch (error) {
    if (!(error instanceof NoBrokerError && opts.waitForBroker)) {
      await poller.stop();
      throw error;
    }
  }
  poller.start();

  const records = new EventStream<ConsumedRecord>();
  const abort = new AbortController();
  const tail = (async () => {
    // Failures surface through the poller's connection status; the tail just resumes.
    for await (const record of tailPartitions(conn, {topic: opts.topic, partitions: opts.partitions, start: opts.start, signal: abort.signal})) {
      records.emit(opts.display ? await opts.display(record).catch(() => record) : record);
    }
  })();

  return {
    topic: opts.topic,
    snapshots: poller.snapshots,
    connection: poller.connection,
    records,
    async stop() {
      abort.abort();
      await Promise.all([tail.catch(() => {}), poller.stop()]);
    },
  };
}
