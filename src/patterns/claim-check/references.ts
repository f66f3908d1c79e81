import {withAdmin} from '../../kafka/client.js';
import type {Connection} from '../../kafka/connection.js';
import {readPartitions} from '../../kafka/partition-reader.js';
import {listTopics} from '../../kafka/topics.js';
import {isClaimCheck, parseReference} from './reference.js';

/** What one topic says about the blobs: which it references now, and what retention removed. */
export interface TopicReferences {
  topic: string;
  /** sha-256 → how many records on the topic reference it. */
  references: Map<string, number>;
  /** Marked records whose reference could not be read (counted, never guessed at). */
  unreadable: number;
  /**
   * Per partition that lost records to retention (log start offset > 0): the
   * time of its first record still there, or null when none is left.
   */
  trimmed: Array<{partition: number; logStartOffset: number; firstTimestamp: number | null}>;
}

/** Reads a topic from its start to its end now and collects the references of marked records into `storeRoot`. */
export async function topicReferences(conn: Connection, topic: string, inStore: (blobUri: string) => boolean): Promise<TopicReferences> {
  const low = await withAdmin(conn, async (admin) => (await admin.fetchTopicOffsets(topic)).map((o) => ({partition: o.partition, low: Number(o.low), high: Number(o.high)})));
  const first = new Map<number, number>();
  const references = new Map<string, number>();
  let unreadable = 0;
  for await (const r of readPartitions(conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true})) {
    if (!first.has(r.partition)) first.set(r.partition, r.timestamp);
    if (!isClaimCheck(r)) continue;
    try {
      const ref = parseReference(r.value);
      if (inStore(ref.uri)) references.set(ref.sha256, (references.get(ref.sha256) ?? 0) + 1);
    } catch {
      unreadable++;
    }
  }
  const trimmed = low.filter((p) => p.low > 0).map((p) => ({partition: p.partition, logStartOffset: p.low, firstTimestamp: first.get(p.partition) ?? null}));
  return {topic, references, unreadable, trimmed};
}

/** The topics to read: those given, else every non-internal topic (the ones without marked records just add nothing). */
export async function topicsToRead(conn: Connection, given: string[] | undefined): Promise<string[]> {
  if (given && given.length > 0) return given;
  return (await listTopics(conn)).map((t) => t.name);
}
