import type {Connection} from '../../kafka/connection.js';
import type {BlobInfo, BlobStore} from './blob-store.js';
import {storeUriOf} from './open-store.js';
import {topicReferences, topicsToRead, type TopicReferences} from './references.js';

/** Why gc keeps or deletes a blob. */
export type GcVerdict =
  /** A record on a topic read references it: kept. */
  | 'referenced'
  /** No record references it, but it is younger than the grace period (its produce may still be on its way): kept. */
  | 'orphan-within-grace'
  /** No record references it and it is older than the grace period (a produce that failed after the upload): deleted. */
  | 'orphan-past-grace'
  /** Older than the grace period, and its topic lost the records of that time to retention: deleted. */
  | 'records-gone'
  /** Uploaded for a topic that was not read: kept (gc cannot know who references it). */
  | 'other-topic';

export const DELETES: ReadonlySet<GcVerdict> = new Set(['orphan-past-grace', 'records-gone']);

export interface GcBlob extends BlobInfo {
  verdict: GcVerdict;
  references: number;
  deleted: boolean;
}

export interface GcOptions {
  conn: Connection;
  store: BlobStore;
  /** Topics to read for references; default: every topic. */
  topics?: string[];
  graceMs: number;
  /** Delete what it would; default: a dry run that only says. */
  delete?: boolean;
  now?: number;
}

export interface GcResult {
  store: string;
  topics: string[];
  /** Topics holding at least one marked record. */
  topicsWithReferences: string[];
  unreadableReferences: number;
  blobs: GcBlob[];
  dryRun: boolean;
}

// Object stores keep times to the second: a record must be clearly newer than a blob to say the blob predates it.
const CLOCK_SLACK_MS = 1000;

function verdictOf(blob: BlobInfo, refs: number, byTopic: Map<string, TopicReferences>, readAll: boolean, graceMs: number, now: number): GcVerdict {
  if (refs > 0) return 'referenced';
  const topic = blob.topic !== undefined ? byTopic.get(blob.topic) : undefined;
  if (!topic && blob.topic !== undefined && !readAll) return 'other-topic';
  // Nothing younger than the grace period is deleted, whatever the reason: its record may still be on its way.
  if (now - blob.storedAt <= graceMs) return 'orphan-within-grace';
  // Retention removed records of that time: a partition's first record still there is newer than the blob, or none is left.
  const trimmedAfter = topic?.trimmed.some((p) => p.firstTimestamp === null || p.firstTimestamp > blob.storedAt + CLOCK_SLACK_MS);
  return trimmedAfter ? 'records-gone' : 'orphan-past-grace';
}

/**
 * Finds the blobs no record references any more by reading the topics (not by
 * trusting any index), and deletes those past the grace period or whose
 * records retention removed — only with `delete`. Blobs are never deleted on
 * consume: other groups and replays read the same references.
 */
export async function collectGarbage(opts: GcOptions): Promise<GcResult> {
  const now = opts.now ?? Date.now();
  const root = storeUriOf(opts.store.blobUri('0'.repeat(64)));
  const inStore = (blobUri: string) => {
    try {
      return storeUriOf(blobUri) === root;
    } catch {
      return false;
    }
  };
  const topics = await topicsToRead(opts.conn, opts.topics);
  const byTopic = new Map<string, TopicReferences>();
  const references = new Map<string, number>();
  let unreadable = 0;
  for (const topic of topics) {
    const found = await topicReferences(opts.conn, topic, inStore);
    byTopic.set(topic, found);
    unreadable += found.unreadable;
    for (const [sha, n] of found.references) references.set(sha, (references.get(sha) ?? 0) + n);
  }
  const readAll = !opts.topics || opts.topics.length === 0;
  const blobs: GcBlob[] = [];
  for await (const listed of opts.store.list()) {
    const refs = references.get(listed.sha256) ?? 0;
    // Listing may not carry the topic (S3 keeps it in the object's metadata): ask for it when it decides.
    const blob = refs === 0 && listed.topic === undefined ? ((await opts.store.stat(listed.sha256)) ?? listed) : listed;
    let verdict = verdictOf(blob, refs, byTopic, readAll, opts.graceMs, now);
    if (opts.delete === true && DELETES.has(verdict)) {
      // A produce may have found this blob and refreshed its time since the listing: decide again on what is there now.
      const fresh = await opts.store.stat(blob.sha256);
      if (fresh && fresh.storedAt !== blob.storedAt) verdict = verdictOf({...blob, storedAt: fresh.storedAt}, refs, byTopic, readAll, opts.graceMs, now);
    }
    const deleted = opts.delete === true && DELETES.has(verdict);
    if (deleted) await opts.store.delete(blob.sha256);
    blobs.push({...blob, verdict, references: refs, deleted});
  }
  return {
    store: opts.store.uri,
    topics,
    topicsWithReferences: [...byTopic.values()].filter((t) => t.references.size > 0).map((t) => t.topic),
    unreadableReferences: unreadable,
    blobs,
    dryRun: opts.delete !== true,
  };
}
