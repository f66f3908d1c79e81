import type {ConsumedRecord} from '../../kafka/records.js';
import {DeserializationError, ReasonedFailure} from '../failures.js';
import {BlobStores, type S3Access} from './open-store.js';
import type {ClaimCheckReference} from './reference.js';
import {resolveRecord} from './resolve.js';

export interface ReadClaim {
  payload: Buffer | null;
  reference: ClaimCheckReference | null;
  /** Set when the reference could not be honoured: why, in the dead-letter reasons' words. */
  failure?: {reason: string; error: string; message: string};
}

/**
 * Resolves records for a reader that is not a pattern participant (a tail, a
 * script): a blob that is missing or corrupt is answered as a failure to
 * report, not thrown, so the reader goes on; a store that does not answer throws.
 */
export class ClaimCheckReader {
  private readonly stores: BlobStores;

  constructor(s3: S3Access = {}) {
    this.stores = new BlobStores(s3);
  }

  async read(record: ConsumedRecord): Promise<ReadClaim> {
    try {
      return await resolveRecord(record, this.stores);
    } catch (error) {
      if (error instanceof ReasonedFailure) return {payload: null, reference: null, failure: {reason: error.reason, error: error.name, message: error.message}};
      if (error instanceof DeserializationError) return {payload: null, reference: null, failure: {reason: 'deserialization', error: error.name, message: error.message}};
      throw error;
    }
  }

  close(): Promise<void> {
    return this.stores.close();
  }
}
