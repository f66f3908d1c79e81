import type {Pass} from './schema.js';

/** One reader's running totals. */
export interface PassStats {
  /** Records handled (payload read back), inline or resolved. */
  handled: number;
  /** Of those, read through the store. */
  resolved: number;
  deadLettered: number;
  /** Of the run's records, how many this reader is done with. */
  done: number;
}

export interface StoreStats {
  uploaded: number;
  /** Uploads skipped because the blob was there (the same payload again). */
  skipped: number;
  inline: number;
  bytesUploaded: number;
}

export type ClaimFault = 'orphan' | 'deleted' | 'corrupted';

/** What the claim-check scenario tells its views besides the common events. */
export type ClaimCheckKindEvent =
  | {type: 'claims-stats'; at: number; records: number; store: StoreStats; passes: Partial<Record<Pass, PassStats>>}
  | {type: 'claims-fault'; at: number; fault: ClaimFault; sha256: string; detail: string}
  | {type: 'claims-gc'; at: number; deleted: number; kept: number; detail: string}
  | {type: 'claims-audit'; at: number; recordBytes: number; largestRecord: number; limit: number; storeBytes: number; payloadBytes: number};
