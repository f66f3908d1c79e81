import {ConfigError} from '../../core/errors.js';
import type {PlanFileRow} from './plan-file.js';

/** Where a replay moves a group's committed offsets, per partition. */
export type ReplayTarget =
  | {kind: 'earliest'}
  | {kind: 'latest'}
  /** The same offset in every partition (clamped to each log's range). */
  | {kind: 'offset'; offset: number}
  /** The first record whose timestamp is at or after this time (epoch ms). */
  | {kind: 'datetime'; timestamp: number}
  /** That long before now: a datetime target fixed when the plan is made. */
  | {kind: 'duration'; ms: number}
  /** Relative to the committed offset: negative replays, positive skips. */
  | {kind: 'shift'; by: number}
  /** Where another group is now. */
  | {kind: 'group'; groupId: string}
  /** Offsets per partition from a plan file (kpat's or kafka-consumer-groups' CSV). */
  | {kind: 'file'; path: string; rows: PlanFileRow[]}
  /** Back to where the group was before the last executed replay. */
  | {kind: 'undo'};

const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An ISO-8601 date or date-time as epoch ms, or null when `text` is not one. Without a
 * zone it is local time — a bare date too (JavaScript alone would read that as UTC).
 */
export function parseDateTime(text: string): number | null {
  const m = ISO_DATETIME.exec(text.trim());
  if (!m) return null;
  const zone = m[3] === undefined ? '' : m[3] === 'Z' ? 'Z' : `${m[3].slice(0, 3)}:${m[3].slice(-2)}`;
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00'}${zone}`);
  return Number.isFinite(ms) ? ms : null;
}

/** `--to`: earliest, latest, an offset, or an ISO-8601 date-time. */
export function parseToTarget(text: string): ReplayTarget {
  const t = text.trim().toLowerCase();
  if (t === 'earliest' || t === 'beginning' || t === 'start') return {kind: 'earliest'};
  if (t === 'latest' || t === 'end') return {kind: 'latest'};
  if (/^\d+$/.test(t)) return {kind: 'offset', offset: Number(t)};
  const timestamp = parseDateTime(text);
  if (timestamp !== null) return {kind: 'datetime', timestamp};
  throw new ConfigError(
    `--to "${text}" is not a target — use earliest, latest, an offset (e.g. 1200) or an ISO-8601 date-time (e.g. 2024-05-01T10:00:00Z; without a zone it is local time); to move by a number of records use --shift -N`,
  );
}

/** What a target does, in a few words: "earliest", "offset 42", "2024-05-01T10:00:00.000Z", "shift -10" … */
export function describeTarget(target: ReplayTarget, time: number | null): string {
  if (time !== null) return new Date(time).toISOString();
  switch (target.kind) {
    case 'offset':
      return `offset ${target.offset}`;
    case 'shift':
      return `shift ${target.by >= 0 ? '+' : ''}${target.by}`;
    case 'group':
      return `where group ${target.groupId} is`;
    case 'file':
      return `the offsets in ${target.path}`;
    case 'undo':
      return 'the offsets before the last replay (undo)';
    default:
      return target.kind;
  }
}
