import {gunzipSync} from 'node:zlib';
import type {ConsumedRecord} from '../../kafka/records.js';
import {DeserializationError, ReasonedFailure} from '../failures.js';
import {sha256Hex} from './blob-store.js';
import type {BlobStores} from './open-store.js';
import {isClaimCheck, parseReference, type ClaimCheckReference} from './reference.js';

/** The blob a reference names is not in its store (deleted, or gc'd too early). */
export class BlobMissingError extends ReasonedFailure {
  override name = 'BlobMissingError';
  constructor(ref: ClaimCheckReference) {
    super('blob-missing', `blob ${ref.sha256} is not in the store (${ref.uri})`);
  }
}

/** The blob's bytes are not the ones the reference was written for. */
export class Sha256MismatchError extends ReasonedFailure {
  override name = 'Sha256MismatchError';
  constructor(ref: ClaimCheckReference, why: string) {
    super('sha256-mismatch', `blob ${ref.sha256} (${ref.uri}) is corrupt: ${why}`);
  }
}

export interface Resolved {
  /** The original payload (the record's value as it is when unmarked). */
  payload: Buffer | null;
  reference: ClaimCheckReference | null;
}

/**
 * The payload a record stands for: its value when unmarked, else the blob its
 * reference names, checked for size and sha-256. A missing or corrupt blob
 * throws an error whose reason the dead-letter handler records; an unreadable
 * reference is a DeserializationError; a store that does not answer stays a
 * retryable failure.
 */
export async function resolveRecord(record: Pick<ConsumedRecord, 'headers' | 'value'>, stores: BlobStores): Promise<Resolved> {
  if (!isClaimCheck(record)) return {payload: record.value, reference: null};
  let ref: ClaimCheckReference;
  try {
    ref = parseReference(record.value);
  } catch (error) {
    throw new DeserializationError((error as Error).message);
  }
  const bytes = await (await stores.forBlob(ref.uri)).get(ref.sha256);
  if (bytes === null) throw new BlobMissingError(ref);
  if (bytes.length !== ref.size) throw new Sha256MismatchError(ref, `${bytes.length} bytes stored, the reference says ${ref.size}`);
  const actual = sha256Hex(bytes);
  if (actual !== ref.sha256) throw new Sha256MismatchError(ref, `its bytes hash to ${actual}`);
  return {payload: ref.compression === 'gzip' ? gunzipSync(bytes) : bytes, reference: ref};
}
