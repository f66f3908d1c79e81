import type {Connection} from '../../src/kafka/connection.js';
import {readPartitions} from '../../src/kafka/partition-reader.js';
import type {ConsumedRecord} from '../../src/kafka/records.js';

/** Every record of a topic, from its start to its end now, read without a consumer group. */
export async function readTopic(conn: Connection, topic: string): Promise<ConsumedRecord[]> {
  const out: ConsumedRecord[] = [];
  for await (const r of readPartitions(conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true})) out.push(r);
  return out;
}

export const connectionTo = (bootstrap: string): Connection => ({brokers: [bootstrap], source: 'flag', clientId: 'kpat-test'});
