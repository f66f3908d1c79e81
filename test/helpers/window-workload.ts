import type {Connection} from '../../src/kafka/connection.js';
import {Publisher} from '../../src/kafka/publisher.js';
import {ensureTopics} from '../../src/kafka/topics.js';

/** A record of a generated windowing workload: where it goes, its event time and a number to aggregate. */
export interface WorkloadRecord {
  key: string;
  partition: number;
  offset: number;
  ts: number;
  n: number;
}

const KEYS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
const BASE = 1_700_000_000_000 - (1_700_000_000_000 % 60_000);

/**
 * Deterministic for a seed: time mostly moves forward per partition, 20% of records
 * come a little behind (within a second or so of grace), 10% far behind (late).
 * A key always goes to the same partition, as Kafka's partitioner keeps it.
 */
export function windowWorkload(count: number, seed: number, partitions: number): WorkloadRecord[] {
  let state = seed;
  const rand = () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
  const clock = new Map<number, number>();
  const offsets = new Map<number, number>();
  const out: WorkloadRecord[] = [];
  for (let i = 0; i < count; i++) {
    const key = KEYS[Math.floor(rand() * KEYS.length)]!;
    const partition = KEYS.indexOf(key) % partitions;
    const now = (clock.get(partition) ?? BASE) + Math.floor(rand() * 900);
    clock.set(partition, now);
    const r = rand();
    const ts = r < 0.1 ? now - 2000 - Math.floor(rand() * 12_000) : r < 0.3 ? now - Math.floor(rand() * 1500) : now;
    const offset = offsets.get(partition) ?? 0;
    offsets.set(partition, offset + 1);
    out.push({key, partition, offset, ts, n: Math.floor(rand() * 100)});
  }
  return out;
}

/** Writes the records (creating the topic if needed) with their partition, key, timestamp and value {"n"}. */
export async function produceWorkload(conn: Connection, topic: string, partitions: number, records: WorkloadRecord[]): Promise<void> {
  await ensureTopics(conn, [{name: topic, partitions}]);
  const publisher = await Publisher.connect(conn);
  try {
    await publisher.send(records.map((r) => ({topic, partition: r.partition, key: r.key, value: JSON.stringify({n: r.n}), timestamp: r.ts})));
  } finally {
    await publisher.close();
  }
}

export const sortResults = <T extends {key: string; start: number}>(rs: T[]) => [...rs].sort((a, b) => a.start - b.start || a.key.localeCompare(b.key));
export const sortLate = <T extends {partition: number; offset: number}>(ls: T[]) => [...ls].sort((a, b) => a.partition - b.partition || a.offset - b.offset);

/** The window-result, late-record and summary lines of `kpat window --output json`. */
export function windowOutput(stdout: string) {
  const all = stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    results: all.filter((l) => l.type === 'window-result').map((l) => ({key: l.key as string, start: l.start as number, end: l.end as number, value: l.value as number, final: l.final as boolean})),
    late: all.filter((l) => l.type === 'late-record').map((l) => ({partition: l.partition as number, offset: l.offset as number})),
    summary: all.find((l) => l.type === 'window-summary'),
  };
}
