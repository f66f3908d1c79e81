import {createHash} from 'node:crypto';

/** What a store knows about one blob without reading it. */
export interface BlobInfo {
  sha256: string;
  size: number;
  /** When it was written (ms since the epoch): gc's grace period counts from here. */
  storedAt: number;
  /** The topic whose record it was uploaded for, when the store kept it (gc uses it to tell retention from orphans). */
  topic?: string;
}

export interface BlobMeta {
  contentType: string;
  topic: string;
}

/**
 * A content-addressed store: a blob's name is the sha-256 of its bytes, so the
 * same payload is stored once whatever uploads it, and an upload retried after
 * a failure finds it there instead of writing a second copy.
 */
export interface BlobStore {
  /** The store's own URI (file:///…, s3://bucket/prefix), as references carry it. */
  readonly uri: string;
  /** The URI of one blob, as a reference carries it. */
  blobUri(sha256: string): string;
  /** The blob's size, or null when it is not there. */
  stat(sha256: string): Promise<BlobInfo | null>;
  /** Writes the blob whole or not at all (a reader never sees half of it). */
  put(sha256: string, bytes: Buffer, meta: BlobMeta): Promise<void>;
  /**
   * Marks an existing blob as just stored: an upload skipped because the blob was
   * there must restart gc's grace period, or gc could delete it under the new record.
   */
  touch(sha256: string, meta: BlobMeta): Promise<void>;
  /** The blob's bytes, or null when it is not there. */
  get(sha256: string): Promise<Buffer | null>;
  delete(sha256: string): Promise<void>;
  list(): AsyncIterable<BlobInfo>;
  close(): Promise<void>;
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export const isSha256 = (text: string): boolean => /^[0-9a-f]{64}$/.test(text);
