import type {AssignContext, WindowInput} from './processor.js';
import type {WindowSpec} from './windows.js';

/**
 * Session windows (Kafka's KStreamSessionWindowAggregate): a record joins every
 * session of its key that ends at most `gap` before it or starts at most `gap`
 * after it, merging them into one session [earliest start, latest end]. It is
 * late when even the merged session is closed. The sessions a merge replaces
 * are removed (update mode emits their tombstones).
 */
export function assignSession<A>(ctx: AssignContext<A>, spec: Extract<WindowSpec, {kind: 'session'}>, input: WindowInput): boolean {
  const {aggregation, store} = ctx;
  const ts = input.timestamp;
  const merged = store.windowsOf(input.key).filter((s) => s.end >= ts - spec.gapMs && s.start <= ts + spec.gapMs);
  let start = ts;
  let end = ts;
  let agg = aggregation.init();
  for (const s of merged) {
    agg = aggregation.merge(agg, s.agg);
    start = Math.min(start, s.start);
    end = Math.max(end, s.end);
  }
  if (end < ctx.streamTime - spec.graceMs - spec.gapMs) return false;
  // A record on an existing single-instant session [ts, ts] replaces it in place, as in Kafka.
  if (start !== ts || end !== ts) for (const s of merged) ctx.removeMerged(s);
  ctx.put(input.key, {start, end}, aggregation.add(agg, input.value), end);
  return true;
}
