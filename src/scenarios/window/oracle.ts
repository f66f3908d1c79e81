/**
 * The scenario's own recomputation of every window from the readings read back,
 * written apart from the window library on purpose: the report compares the
 * library's results with these. Kafka Streams' rules for tumbling and hopping
 * windows: windows start at multiples of the advance ([start, start + size)),
 * stream time is per input partition (the highest timestamp seen, this record's
 * included), a window takes a record while its end + grace is after stream time,
 * a record none of whose windows takes it is late, and a window's final result
 * is due once stream time reaches its end + grace.
 */

export interface OracleRecord {
  key: string;
  partition: number;
  offset: number;
  timestamp: number;
  celsius: number;
}

export interface OracleWindow {
  key: string;
  start: number;
  end: number;
  avg: number;
  count: number;
}

export interface OracleResult {
  /** Windows closed by the end of the input: each must have exactly one final result. */
  closed: OracleWindow[];
  /** Still open at the end: no final result yet. */
  open: number;
  /** Late records: partition@offset. */
  late: string[];
  /** Records behind their partition's stream time but still taken by a window. */
  outOfOrder: number;
}

export const recordRef = (r: {partition: number; offset: number}) => `${r.partition}@${r.offset}`;

export function recompute(records: readonly OracleRecord[], w: {size: number; advance: number; grace: number}): OracleResult {
  const sums = new Map<string, OracleWindow & {partition: number}>();
  const streamTime = new Map<number, number>();
  const late: string[] = [];
  let outOfOrder = 0;
  const ordered = [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const r of ordered) {
    const before = streamTime.get(r.partition) ?? -Infinity;
    const now = Math.max(before, r.timestamp);
    streamTime.set(r.partition, now);
    let taken = false;
    // Every window containing the timestamp: starts from the last multiple of the advance at or before it, back while the window still covers it.
    for (let start = r.timestamp - (r.timestamp % w.advance); start > r.timestamp - w.size && start >= 0; start -= w.advance) {
      const end = start + w.size;
      if (end + w.grace <= now) continue;
      taken = true;
      const id = `${r.key}|${start}`;
      const win = sums.get(id) ?? {key: r.key, start, end, avg: 0, count: 0, partition: r.partition};
      win.avg += r.celsius; // a sum until the end
      win.count++;
      sums.set(id, win);
    }
    if (!taken) late.push(recordRef(r));
    else if (r.timestamp < before) outOfOrder++;
  }
  const closed: OracleWindow[] = [];
  let open = 0;
  for (const win of sums.values()) {
    if (win.end + w.grace <= (streamTime.get(win.partition) ?? -Infinity)) closed.push({key: win.key, start: win.start, end: win.end, avg: win.avg / win.count, count: win.count});
    else open++;
  }
  return {closed, open, late, outOfOrder};
}
