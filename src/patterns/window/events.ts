/** A window's value changed (update mode) or it closed (final): what the output topic gets as `key@start/end`. */
export interface WindowResult {
  type: 'window-result';
  at: number;
  key: string;
  start: number;
  end: number;
  value: unknown;
  /** True when the window closed: no further result comes for it. */
  final: boolean;
  /** Which clock closed it: stream time (Kafka's rule) or the opt-in wall-clock close. */
  closedBy?: 'stream-time' | 'wall-clock';
  /** The task (input partition) that owns the window, and its stream time then. */
  partition: number;
  streamTime: number;
}

/** Update mode: a session merged into another; the result for these bounds no longer holds (a tombstone on the output topic). */
export interface WindowRemoved {
  type: 'window-removed';
  at: number;
  key: string;
  start: number;
  end: number;
  partition: number;
}

/** A record that arrived after every window it belongs to had closed: dropped, never silently. */
export interface LateRecord {
  type: 'late-record';
  at: number;
  key: string;
  timestamp: number;
  partition: number;
  offset: number;
  streamTime: number;
  /** Stream time minus the record's timestamp (Kafka's record-lateness). */
  lateness: number;
}

/** A record the aggregation could not use (no grouping key, no timestamp, a field that is not a number). */
export interface SkippedRecord {
  type: 'record-skipped';
  at: number;
  partition: number;
  offset: number;
  reason: string;
}

export type WindowRecordEvent = WindowResult | WindowRemoved | LateRecord | SkippedRecord;

/** The store's restore from its changelog, before any record is read. */
export type RestoreEvent =
  | {type: 'restore-started'; at: number; changelog: string; records: number}
  | {type: 'restore-progress'; at: number; changelog: string; restored: number; records: number}
  | {type: 'restore-done'; at: number; changelog: string; restored: number; windows: number; streamTimes: Record<number, number>; ms: number};

/** A commit: results published, the store's changes and checkpoints in its changelog, source offsets committed. */
export interface WindowCommitted {
  type: 'window-committed';
  at: number;
  /** Next offset per input partition. */
  positions: Record<number, number>;
  streamTimes: Record<number, number>;
  results: number;
  changes: number;
  openWindows: number;
}

/** Where the aggregation reads from and what it keeps. */
export interface WindowStarted {
  type: 'window-started';
  at: number;
  topic: string;
  partitions: number;
  windows: string;
  aggregation: string;
  emit: 'update' | 'final';
  changelog: string | null;
  /** Resumed from committed offsets (per partition), or starting where asked. */
  resumedFrom: Record<number, number> | null;
}

export type WindowEvent = WindowRecordEvent | RestoreEvent | WindowCommitted | WindowStarted;
