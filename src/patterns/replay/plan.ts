import type {ReplayTarget} from './target.js';

/**
 * Replay plan math: pure functions over offsets and timestamps, no Kafka. The
 * facts of one partition go in, where its committed offset should move comes out.
 */

/** What is known about one partition before planning. */
export interface PartitionState {
  topic: string;
  partition: number;
  /** The group's committed offset (the next record it reads), or null when it committed nothing here. */
  current: number | null;
  /** Log start offset: the oldest retained record. */
  start: number;
  /** End offset: where the next record will be written. */
  end: number;
  /** Datetime targets: the first offset whose timestamp is at or after the time, null when no record is. */
  atTime?: number | null;
  /** --to-group: that group's committed offset here, null when it has none. */
  otherGroup?: number | null;
  /** --from-file and --undo: the offset asked for here, null when there was nothing committed (undo). */
  wanted?: number | null;
}

export interface PlanRow {
  topic: string;
  partition: number;
  current: number | null;
  /** Where the committed offset moves; null leaves it as it is (the notes say why). */
  target: number | null;
  start: number;
  end: number;
  /** Records the group reads again (positive) or skips (negative); null when nothing is committed to count from. */
  records: number | null;
  /** Timestamp of the first and last record replayed (or skipped); null when there are none. */
  fromTime: number | null;
  toTime: number | null;
  notes: string[];
}

export interface PlanContext {
  /** The time of a datetime or duration target. */
  time?: number;
  /** The group copied by --to-group. */
  otherGroup?: string;
  /** When the undo entry was saved. */
  savedAt?: string;
  /** The undo deletes the group (it had committed nothing before the replay). */
  deletesGroup?: boolean;
}

const clamp = (n: number, lo: number, hi: number) => Math.min(Math.max(n, lo), hi);

/** `want` kept within the log, with a note when it had to move. */
function withinLog(want: number, s: PartitionState, notes: string[]): number {
  if (want < s.start) notes.push(`offset ${want} is before the log start ${s.start}${s.start > 0 ? ' (older records were deleted)' : ''}: clamped to ${s.start}`);
  if (want > s.end) notes.push(`offset ${want} is past the end ${s.end}: clamped to ${s.end}`);
  return clamp(want, s.start, s.end);
}

/** Where `target` moves this partition, before clamping: null to leave it (with a note why). */
function wantedOffset(target: ReplayTarget, s: PartitionState, ctx: PlanContext, notes: string[]): {offset: number | null; clamp: boolean} {
  switch (target.kind) {
    case 'earliest':
      return {offset: s.start, clamp: false};
    case 'latest':
      return {offset: s.end, clamp: false};
    case 'offset':
      return {offset: target.offset, clamp: true};
    case 'datetime':
    case 'duration': {
      if (s.atTime !== null && s.atTime !== undefined) return {offset: s.atTime, clamp: true};
      const when = ctx.time === undefined ? 'the time' : new Date(ctx.time).toISOString();
      notes.push(`no record at or after ${when}: moves to the end`);
      return {offset: s.end, clamp: false};
    }
    case 'shift':
      if (s.current === null) {
        notes.push('nothing committed here, so there is nothing to shift from — use --to for an absolute target');
        return {offset: null, clamp: false};
      }
      return {offset: s.current + target.by, clamp: true};
    case 'group':
      if (s.otherGroup === null || s.otherGroup === undefined) {
        notes.push(`group ${ctx.otherGroup ?? target.groupId} has nothing committed here: left as it is`);
        return {offset: null, clamp: false};
      }
      return {offset: s.otherGroup, clamp: true};
    case 'file':
      return {offset: s.wanted ?? null, clamp: true};
    case 'undo':
      if (ctx.deletesGroup) {
        notes.push('the group had committed nothing before the replay: undo deletes it, as it was');
        return {offset: null, clamp: false};
      }
      if (s.wanted === null || s.wanted === undefined) {
        notes.push(`nothing was committed here before the replay${ctx.savedAt ? ` of ${ctx.savedAt}` : ''}; a single partition's commit cannot be taken back: left as it is`);
        return {offset: null, clamp: false};
      }
      // Undo restores exactly what was there, in range or not.
      return {offset: s.wanted, clamp: false};
  }
}

/** The plan for one partition (its record times are filled in later, from the log). */
export function planPartition(target: ReplayTarget, s: PartitionState, ctx: PlanContext = {}): PlanRow {
  const notes: string[] = [];
  if (s.current !== null && (s.current < s.start || s.current > s.end)) {
    notes.push(`committed offset ${s.current} is outside the log (${s.start}–${s.end}): the group's consumers would reset it`);
  }
  const want = wantedOffset(target, s, ctx, notes);
  const targetOffset = want.offset === null ? null : want.clamp ? withinLog(want.offset, s, notes) : want.offset;
  // Count from where the group really stands: a position outside the log reads nothing there.
  const records = s.current === null || targetOffset === null ? null : clamp(s.current, s.start, s.end) - clamp(targetOffset, s.start, s.end);
  return {topic: s.topic, partition: s.partition, current: s.current, target: targetOffset, start: s.start, end: s.end, records, fromTime: null, toTime: null, notes};
}

/** First and last offset of the records a row replays or skips, or null when it moves over none. */
export function recordRange(row: PlanRow): {first: number; last: number} | null {
  if (row.records === null || row.records === 0 || row.current === null || row.target === null) return null;
  const a = clamp(row.current, row.start, row.end);
  const b = clamp(row.target, row.start, row.end);
  return {first: Math.min(a, b), last: Math.max(a, b) - 1};
}

/** A row changes something when it has a target other than the committed offset. */
export const moves = (row: PlanRow): boolean => row.target !== null && row.target !== row.current;

export interface PlanTotals {
  partitions: number;
  /** Partitions whose committed offset changes. */
  moving: number;
  /** Records read again, summed over partitions. */
  replays: number;
  /** Records skipped, summed over partitions. */
  skips: number;
  /** Earliest and latest record time covered, or null. */
  fromTime: number | null;
  toTime: number | null;
}

export function planTotals(rows: PlanRow[]): PlanTotals {
  const times = rows.flatMap((r) => [r.fromTime, r.toTime]).filter((t): t is number => t !== null);
  return {
    partitions: rows.length,
    moving: rows.filter(moves).length,
    replays: rows.reduce((n, r) => n + Math.max(0, r.records ?? 0), 0),
    skips: rows.reduce((n, r) => n + Math.max(0, -(r.records ?? 0)), 0),
    fromTime: times.length > 0 ? Math.min(...times) : null,
    toTime: times.length > 0 ? Math.max(...times) : null,
  };
}

/** Sorted by topic, then partition. */
export const byPartition = (a: {topic: string; partition: number}, b: {topic: string; partition: number}) => a.topic.localeCompare(b.topic) || a.partition - b.partition;
