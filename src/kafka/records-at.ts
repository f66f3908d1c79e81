import type {Connection} from './connection.js';
import {readPartitions} from './partition-reader.js';
import type {ConsumedRecord} from './records.js';

/**
 * The record at each partition's offset (or the first one after it, where that offset
 * holds none), read without a group. Ask only for offsets below the partition's end:
 * reading stops once every partition has given its record.
 */
export async function recordsAt(conn: Connection, topic: string, offsets: ReadonlyMap<number, number>): Promise<Map<number, ConsumedRecord>> {
  const found = new Map<number, ConsumedRecord>();
  if (offsets.size === 0) return found;
  const records = readPartitions(conn, {
    topic,
    partitions: [...offsets.keys()],
    start: {kind: 'positions', positions: offsets, otherwise: {kind: 'latest'}},
    stopAtEnd: true,
    partitionMaxBytes: 64 * 1024,
  });
  for await (const r of records) {
    if (!found.has(r.partition)) found.set(r.partition, r);
    if (found.size === offsets.size) break;
  }
  return found;
}
