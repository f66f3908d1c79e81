import {setTimeout as delay} from 'node:timers/promises';
import {withAdmin} from '../../kafka/client.js';
import type {Connection} from '../../kafka/connection.js';
import {committedOffsets, fetchPartitionOffsets} from '../../kafka/groups.js';
import {keepWindow, ratePerSecond} from '../../kafka/sample-window.js';
import type {EventStream} from '../../core/event-stream.js';
import type {ReplayEvent, ReplayProgress} from './events.js';
import {moves, recordRange, type PlanRow} from './plan.js';

/** Records a group has to read again on one partition: from `from` up to (not including) `to`. */
export interface CatchUpRange {
  topic: string;
  partition: number;
  from: number;
  to: number;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** The ranges an executed plan gives its group to read again (partitions that skip ahead have none). */
export function replayedRanges(rows: PlanRow[]): CatchUpRange[] {
  return rows.flatMap((r) => {
    const range = moves(r) && (r.records ?? 0) > 0 ? recordRange(r) : null;
    return range ? [{topic: r.topic, partition: r.partition, from: range.first, to: range.last + 1}] : [];
  });
}

/**
 * How far a group is through its ranges, from what it committed: records behind
 * its commit count as replayed, and lag is what is left to the end of each log.
 */
export function catchUpOf(
  ranges: CatchUpRange[],
  committed: ReadonlyMap<string, number | null>,
  ends: ReadonlyMap<string, number>,
): {replayed: number; total: number; lag: number} {
  let replayed = 0;
  let total = 0;
  let lag = 0;
  for (const r of ranges) {
    const at = committed.get(key(r.topic, r.partition)) ?? r.from;
    total += r.to - r.from;
    replayed += Math.min(Math.max(at - r.from, 0), r.to - r.from);
    lag += Math.max(0, (ends.get(key(r.topic, r.partition)) ?? at) - at);
  }
  return {replayed, total, lag};
}

/**
 * Follows a group through the records it reads again, from its commits (so it works
 * for any consumer, in any process): replayed of total, rate, ETA and lag, every
 * `intervalMs`, until it has committed past every range or `signal` stops it.
 */
export async function followCatchUp(
  conn: Connection,
  opts: {group: string; ranges: CatchUpRange[]; events?: EventStream<ReplayEvent>; signal?: AbortSignal; intervalMs?: number},
): Promise<ReplayProgress> {
  const topics = [...new Set(opts.ranges.map((r) => r.topic))];
  const samples: Array<{at: number; replayed: number}> = [];
  return withAdmin(conn, async (admin) => {
    for (;;) {
      const [committed, ...offsets] = await Promise.all([committedOffsets(admin, opts.group, topics), ...topics.map((t) => fetchPartitionOffsets(admin, t))]);
      const ends = new Map(topics.flatMap((t, i) => offsets[i]!.map((o) => [key(t, o.partition), o.end] as const)));
      const {replayed, total, lag} = catchUpOf(opts.ranges, new Map(committed.map((c) => [key(c.topic, c.partition), c.offset])), ends);
      const at = Date.now();
      samples.push({at, replayed});
      const recent = keepWindow(samples, at, 5000);
      samples.splice(0, samples.length - recent.length);
      const rate = ratePerSecond(recent, (s) => s.replayed);
      const done = replayed >= total;
      const progress: ReplayProgress = {type: 'replay-progress', at, group: opts.group, replayed, total, ratePerSec: rate, etaMs: done ? 0 : rate > 0 ? Math.round(((total - replayed) / rate) * 1000) : null, lag, done};
      opts.events?.emit(progress);
      if (done || opts.signal?.aborted) return progress;
      await delay(opts.intervalMs ?? 250, undefined, {signal: opts.signal}).catch(() => {}); // aborted: reported once more, then returned
    }
  });
}
