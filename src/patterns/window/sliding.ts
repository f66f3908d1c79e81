import type {WindowEntry} from '../state/windowed-store.js';
import type {AssignContext, WindowInput} from './processor.js';
import type {TimeWindow, WindowSpec} from './windows.js';

type Sliding = Extract<WindowSpec, {kind: 'sliding'}>;

/**
 * Sliding windows as Kafka Streams' KStreamSlidingWindowAggregate builds them
 * (KIP-450): windows [start, start + difference], both ends inclusive, exist only
 * where they hold records. A record creates its left window (ending at it), the
 * right window of the record before it, and its own right window (starting 1 ms
 * after it) when a later record falls in it; it is added to every existing window
 * it falls in that has not closed. It is late when even its right window would
 * be closed. This follows Kafka's in-order algorithm step by step, so results
 * match Kafka's, including its handling of records earlier than the difference.
 */
export function assignSliding<A>(ctx: AssignContext<A>, spec: Sliding, input: WindowInput): boolean {
  const ts = input.timestamp;
  const d = spec.differenceMs;
  const closeFloor = ctx.streamTime - spec.graceMs;
  if (ts + 1 + d <= closeFloor) return false;
  if (ts < d) {
    assignEarly(ctx, spec, input, closeFloor);
    return true;
  }
  const windows = ctx.store.windowsOf(input.key).filter((w) => w.start >= Math.max(0, ts - 2 * d) && w.start <= ts + 1);
  const starts = new Set<number>();
  let left: WindowEntry<A> | null = null;
  let right: WindowEntry<A> | null = null;
  let leftCreated = false;
  let rightCreated = false;
  let previous: number | null = null;
  for (const w of windows) {
    starts.add(w.start);
    const end = w.start + d;
    if (end < ts) {
      left = w;
      previous = w.maxTs;
    } else if (end === ts) {
      leftCreated = true;
      if (w.maxTs < ts) previous = w.maxTs;
      update(ctx, w, w.agg, w.maxTs, input, closeFloor);
    } else if (w.start <= ts) {
      right = w;
      update(ctx, w, w.agg, w.maxTs, input, closeFloor);
    } else if (w.start === ts + 1) {
      rightCreated = true;
    }
  }
  // The previous record's right window, if the record falls in it and it does not exist yet.
  if (previous !== null && !starts.has(previous + 1) && previous + 1 + d >= ts) {
    update(ctx, {start: previous + 1, end: previous + 1 + d}, ctx.aggregation.init(), ts, input, closeFloor);
  }
  if (!leftCreated) {
    const base = previous !== null && left !== null && ts - d <= previous ? left.agg : ctx.aggregation.init();
    update(ctx, {start: ts - d, end: ts}, base, ts, input, closeFloor);
  }
  if (!rightCreated && right !== null && right.maxTs > ts) ctx.put(input.key, {start: ts + 1, end: ts + 1 + d}, right.agg, right.maxTs);
  return true;
}

/** A record before `difference`: its left window would start before 0, so it goes into [0, difference] (Kafka's processEarly). */
function assignEarly<A>(ctx: AssignContext<A>, spec: Sliding, input: WindowInput, closeFloor: number): void {
  const ts = input.timestamp;
  const d = spec.differenceMs;
  const starts = new Set<number>();
  let combined: WindowEntry<A> | null = null;
  let right: WindowEntry<A> | null = null;
  let rightCreated = false;
  let previous: number | null = null;
  for (const w of ctx.store.windowsOf(input.key).filter((x) => x.start <= ts + 1)) {
    starts.add(w.start);
    if (w.start === 0) {
      combined = w;
      if (w.maxTs < ts) previous = w.maxTs;
    } else if (w.start <= ts) {
      right = w;
      update(ctx, w, w.agg, w.maxTs, input, closeFloor);
    } else if (w.start === ts + 1) {
      rightCreated = true;
    }
  }
  if (right === null && combined !== null && combined.maxTs > ts) right = combined;
  if (!rightCreated && right !== null && right.maxTs > ts) ctx.put(input.key, {start: ts + 1, end: ts + 1 + d}, right.agg, right.maxTs);
  if (previous !== null && !starts.has(previous + 1)) update(ctx, {start: previous + 1, end: previous + 1 + d}, ctx.aggregation.init(), ts, input, closeFloor);
  if (combined === null) update(ctx, {start: 0, end: d}, ctx.aggregation.init(), ts, input, closeFloor);
  else update(ctx, combined, combined.agg, combined.maxTs, input, closeFloor);
}

/** Kafka's updateWindowAndForward: adds the record unless the window has closed. */
function update<A>(ctx: AssignContext<A>, w: TimeWindow, agg: A, maxTs: number, input: WindowInput, closeFloor: number): void {
  if (w.end < closeFloor) return;
  ctx.put(input.key, w, ctx.aggregation.add(agg, input.value), Math.max(maxTs, input.timestamp));
}
