import type {MemberRef} from '../../kafka/groups.js';

/** How far a group has come through the records a replay gave it again, read from its commits. */
export interface ReplayProgress {
  type: 'replay-progress';
  at: number;
  group: string;
  /** Records of the replayed ranges the group has committed past. */
  replayed: number;
  total: number;
  /** Replayed records per second over the last few seconds. */
  ratePerSec: number;
  /** Time left at that rate; null while the rate is 0. */
  etaMs: number | null;
  /** Records the group has yet to read on those partitions (end − committed), new ones included. */
  lag: number;
  done: boolean;
}

/** A plan applied: the group's committed offsets moved. */
export interface ReplayExecution {
  type: 'replay-executed';
  at: number;
  group: string;
  /** Partitions whose committed offset changed. */
  moved: number;
  /** Records the group reads again, and records it skips. */
  records: number;
  skipped: number;
  /** This was an undo: the saved offsets are back. */
  undo: boolean;
  /** Where the offsets before this change were saved (or, for an undo, taken from). */
  undoFile: string;
}

/** What a replay did, as the replay pattern reports it. */
export type ReplayEvent =
  | {type: 'replay-waiting'; at: number; group: string; state: string; members: MemberRef[]}
  | ReplayExecution
  | ReplayProgress;
