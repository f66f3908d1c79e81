import type {RecordRef} from '../events.js';

/** What the claim check did with one payload or reference. */
export type ClaimCheckEvent =
  /** A payload went to the store (uploaded: false when the blob was there already: a retry or the same payload again). */
  | {type: 'claim-stored'; at: number; topic: string; sha256: string; size: number; uploaded: boolean}
  /** A payload small enough to travel in the record itself, unmarked. */
  | {type: 'claim-inline'; at: number; topic: string; size: number}
  /** A reference read back: the blob found and its size and sha-256 verified. */
  | {type: 'claim-resolved'; at: number; group: string; record: RecordRef; sha256: string; size: number};
