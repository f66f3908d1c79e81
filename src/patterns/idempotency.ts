import type {Connection} from '../kafka/connection.js';
import {readPartitions} from '../kafka/partition-reader.js';
import type {ConsumedRecord} from '../kafka/records.js';

/**
 * The ids whose side effect is already applied. An idempotent consumer checks
 * it before acting, so a redelivered record (after a crash between the side
 * effect and the offset commit) changes nothing. Built from the side-effect
 * topic itself on start: the log is the store.
 */
export class ProcessedIds {
  private readonly ids: Set<string>;

  constructor(ids: Iterable<string> = []) {
    this.ids = new Set(ids);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
  }

  get size(): number {
    return this.ids.size;
  }

  /** Reads a topic from its start to its current end and collects the id of every record. */
  static async fromTopic(conn: Connection, topic: string, idOf: (r: ConsumedRecord) => string | null): Promise<ProcessedIds> {
    const store = new ProcessedIds();
    for await (const r of readPartitions(conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true})) {
      const id = idOf(r);
      if (id) store.add(id);
    }
    return store;
  }
}
