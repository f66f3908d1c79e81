import {withAdmin} from '../../kafka/client.js';
import type {Connection} from '../../kafka/connection.js';
import {readPartitions} from '../../kafka/partition-reader.js';
import type {OutgoingMessage} from '../../kafka/publisher.js';
import type {StoreChange} from './windowed-store.js';

/**
 * A store's changelog topic, as Kafka Streams names and configures it: every
 * change is a record (a tombstone for a removed window), compacted so the topic
 * holds the latest state, and deleted after the store's retention plus a day
 * (Kafka's windowstore.changelog.additional.retention.ms) so old windows go.
 * Beside the windows it holds one checkpoint per task: written in the same
 * transaction as the changes, it says how far that task's stream time had come.
 */
export const changelogTopic = (appId: string, store: string) => `${appId}-${store}-changelog`;

export const ADDITIONAL_RETENTION_MS = 86_400_000;

export function changelogConfigs(retentionMs: number): Record<string, string> {
  return {'cleanup.policy': 'compact,delete', 'retention.ms': String(retentionMs + ADDITIONAL_RETENTION_MS)};
}

/** A task's progress, checkpointed with its state: a restart neither re-emits nor takes a record that was already late. */
export interface TaskCheckpoint {
  task: number;
  streamTime: number;
  /** Stream time through which closed windows' results were emitted. */
  closedThrough: number;
}

export interface RestoredWindow<A> {
  key: string;
  start: number;
  end: number;
  task: number;
  agg: A;
  maxTs: number;
}

// Keys are JSON arrays: "w" for a window, "c" for a checkpoint, so neither can pass for the other.
// A window is keyed by its key and start (the store's identity: a session that grows keeps its key).
// Built by hand, the same text JSON.stringify gives: one per change, every commit.
const windowKey = (key: string, start: number) => `["w",${JSON.stringify(key)},${start}]`;
const checkpointKey = (task: number) => JSON.stringify(['c', task]);

/** The changelog records for a store's changes and its tasks' checkpoints; a task's records go to its own partition. */
export function changelogMessages<A>(topic: string, partitions: number, changes: StoreChange<A>[], checkpoints: TaskCheckpoint[]): OutgoingMessage[] {
  const out: OutgoingMessage[] = changes.map((c) => ({
    topic,
    partition: c.task % partitions,
    key: windowKey(c.key, c.start),
    value: c.entry ? `{"end":${c.entry.end},"task":${c.task},"agg":${JSON.stringify(c.entry.agg)},"maxTs":${c.entry.maxTs}}` : null,
  }));
  for (const cp of checkpoints) {
    out.push({topic, partition: cp.task % partitions, key: checkpointKey(cp.task), value: JSON.stringify({streamTime: cp.streamTime, closedThrough: cp.closedThrough})});
  }
  return out;
}

export interface RestoreProgress {
  restored: number;
  records: number;
}

/**
 * Reads the changelog from its start to its end (committed records only) and
 * returns the latest state: the windows still there and each task's checkpoint.
 */
export async function restoreChangelog<A>(
  conn: Connection,
  topic: string,
  opts: {signal?: AbortSignal; onStart?: (records: number) => void; onProgress?: (p: RestoreProgress) => void} = {},
): Promise<{windows: RestoredWindow<A>[]; checkpoints: TaskCheckpoint[]; restored: number}> {
  const records = await withAdmin(conn, async (admin) => (await admin.fetchTopicOffsets(topic)).reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0));
  opts.onStart?.(records);
  const windows = new Map<string, RestoredWindow<A>>();
  const checkpoints = new Map<number, TaskCheckpoint>();
  let restored = 0;
  for await (const r of readPartitions(conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true, signal: opts.signal, partitionMaxBytes: 4 << 20})) {
    restored++;
    if (restored % 5000 === 0) opts.onProgress?.({restored, records});
    const rawKey = r.key?.toString();
    if (!rawKey) continue;
    const key = JSON.parse(rawKey) as ['w', string, number] | ['c', number];
    if (key[0] === 'c') {
      if (r.value) checkpoints.set(key[1], {task: key[1], ...(JSON.parse(r.value.toString()) as {streamTime: number; closedThrough: number})});
      continue;
    }
    const [, k, start] = key;
    if (!r.value) {
      windows.delete(rawKey);
      continue;
    }
    const v = JSON.parse(r.value.toString()) as {end: number; task: number; agg: A; maxTs: number};
    windows.set(rawKey, {key: k, start, end: v.end, task: v.task, agg: v.agg, maxTs: v.maxTs});
  }
  if (records > 0) opts.onProgress?.({restored, records});
  return {windows: [...windows.values()], checkpoints: [...checkpoints.values()], restored};
}
