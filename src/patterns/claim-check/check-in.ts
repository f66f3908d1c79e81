import {gzipSync} from 'node:zlib';
import type {EventStream} from '../../core/event-stream.js';
import {sha256Hex, type BlobStore} from './blob-store.js';
import type {ClaimCheckEvent} from './events.js';
import {CLAIM_CHECK_HEADER, encodeReference, REFERENCE_VERSION, type BlobCompression, type ClaimCheckReference} from './reference.js';

export interface CheckInOptions {
  store: BlobStore;
  /** Payloads larger than this go to the store; the others travel inline, unmarked. */
  thresholdBytes: number;
  /** Store every payload, however small (to see the pattern at work). */
  always?: boolean;
  contentType?: string;
  compression?: BlobCompression;
  events?: EventStream<ClaimCheckEvent>;
}

/** What goes on the topic for one payload: the payload itself, or a reference and the marker header. */
export interface CheckedIn {
  value: Buffer;
  headers: Record<string, string>;
  reference: ClaimCheckReference | null;
  /** False when the blob was in the store already (nothing written). */
  uploaded: boolean;
}

// Kafka's limit counts the whole batch (keys, headers, the batch header): this leaves room for them.
const HEADROOM = 16 * 1024;

/** A threshold a bit under a topic's max.message.bytes. */
export const defaultThreshold = (maxMessageBytes: number): number => (maxMessageBytes > 4 * HEADROOM ? maxMessageBytes - HEADROOM : Math.floor(maxMessageBytes / 2));

/**
 * Stores a payload above the threshold content-addressed and answers the small
 * reference to send instead. The blob is written before the record (a crash
 * in between leaves an orphan for gc, never a reference to nothing), and not
 * written at all when it is there already, so a retried produce uploads nothing twice
 * (its time is refreshed instead, so gc's grace period protects it until the record is out).
 */
export async function checkIn(payload: Buffer, topic: string, opts: CheckInOptions): Promise<CheckedIn> {
  if (!opts.always && payload.length <= opts.thresholdBytes) {
    opts.events?.emit({type: 'claim-inline', at: Date.now(), topic, size: payload.length});
    return {value: payload, headers: {}, reference: null, uploaded: false};
  }
  const compression = opts.compression ?? 'none';
  const stored = compression === 'gzip' ? gzipSync(payload) : payload;
  const sha256 = sha256Hex(stored);
  const contentType = opts.contentType ?? 'application/octet-stream';
  const existing = await opts.store.stat(sha256);
  // A blob of the wrong size under this name is damaged: write it again.
  const uploaded = existing === null || existing.size !== stored.length;
  if (uploaded) await opts.store.put(sha256, stored, {contentType, topic});
  else await opts.store.touch(sha256, {contentType, topic});
  opts.events?.emit({type: 'claim-stored', at: Date.now(), topic, sha256, size: stored.length, uploaded});
  const reference: ClaimCheckReference = {uri: opts.store.blobUri(sha256), sha256, size: stored.length, contentType, compression};
  return {value: encodeReference(reference), headers: {[CLAIM_CHECK_HEADER]: REFERENCE_VERSION}, reference, uploaded};
}
