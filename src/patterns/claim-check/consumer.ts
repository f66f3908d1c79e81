import type {EventStream} from '../../core/event-stream.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {recordRef} from '../dead-letter/dead-letter-handler.js';
import type {RecordHandler} from '../record-handler.js';
import type {ClaimCheckEvent} from './events.js';
import type {BlobStores} from './open-store.js';
import {resolveRecord, type Resolved} from './resolve.js';

export interface ClaimCheckHandlerOptions {
  stores: BlobStores;
  group: string;
  events?: EventStream<ClaimCheckEvent>;
  /** Gets the original payload, whether it travelled inline or through the store. */
  handle: (payload: Buffer | null, resolved: Resolved, record: ConsumedRecord, attempt: number) => Promise<void>;
}

/**
 * A record handler that resolves references before `handle` sees the payload.
 * Wrapped by the dead-letter handler, a missing or corrupt blob goes to the
 * DLT with its reason (blob-missing, sha256-mismatch) and the partition moves on.
 */
export function claimCheckHandler(opts: ClaimCheckHandlerOptions): RecordHandler<Buffer | null> {
  return {
    decode: (value) => value,
    handle: async (_value, record, attempt) => {
      const resolved = await resolveRecord(record, opts.stores);
      if (resolved.reference) {
        opts.events?.emit({type: 'claim-resolved', at: Date.now(), group: opts.group, record: recordRef(record), sha256: resolved.reference.sha256, size: resolved.reference.size});
      }
      await opts.handle(resolved.payload, resolved, record, attempt);
    },
  };
}
