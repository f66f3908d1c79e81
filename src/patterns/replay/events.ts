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

/** What a replay did, as the replay pattern reports it. */
export type ReplayEvent =
  | {type: 'replay-waiting'; at: number; group: string; state: string; members: MemberRef[]}
  | {type: 'replay-executed'; at: number; group: string; moved: number; records: number; skipped: number; undo: boolean; undoFile: string}
  | ReplayProgress;
