import {ConfigError} from '../../core/errors.js';

/**
 * Windows as data, with Kafka Streams' rules. Tumbling and hopping windows are
 * epoch-aligned, start inclusive and end exclusive. Sliding windows (Kafka's
 * SlidingWindows) and sessions have an inclusive end, as Kafka's Window.end()
 * reports them. Every window has a grace period: it accepts records until the
 * stream time reaches its close time.
 */
export type WindowSpec =
  | {kind: 'tumbling'; sizeMs: number; graceMs: number}
  | {kind: 'hopping'; sizeMs: number; advanceMs: number; graceMs: number}
  | {kind: 'sliding'; differenceMs: number; graceMs: number}
  | {kind: 'session'; gapMs: number; graceMs: number};

export interface TimeWindow {
  start: number;
  end: number;
}

/** Throws ConfigError unless the numbers make windows Kafka would accept. */
export function checkWindowSpec(spec: WindowSpec): WindowSpec {
  const positive = (what: string, ms: number) => {
    if (!Number.isSafeInteger(ms) || ms <= 0) throw new ConfigError(`${what} must be a positive duration, got ${ms} ms`);
  };
  if (!Number.isSafeInteger(spec.graceMs) || spec.graceMs < 0) throw new ConfigError(`the grace period must be 0 or more, got ${spec.graceMs} ms`);
  switch (spec.kind) {
    case 'tumbling':
      positive('the window size', spec.sizeMs);
      break;
    case 'hopping':
      positive('the window size', spec.sizeMs);
      positive('the advance', spec.advanceMs);
      if (spec.advanceMs > spec.sizeMs) throw new ConfigError(`the advance (${spec.advanceMs} ms) must not exceed the window size (${spec.sizeMs} ms): records between windows would belong to none`);
      break;
    case 'sliding':
      positive('the sliding time difference', spec.differenceMs);
      break;
    case 'session':
      positive('the session inactivity gap', spec.gapMs);
      break;
  }
  return spec;
}

/**
 * The tumbling or hopping windows a timestamp falls in, oldest first (Kafka's
 * TimeWindows.windowsFor): starts are multiples of the advance since the epoch,
 * and no window starts before 0.
 */
export function timeWindowsFor(timestamp: number, sizeMs: number, advanceMs: number): TimeWindow[] {
  const first = Math.max(0, timestamp - sizeMs + advanceMs);
  const out: TimeWindow[] = [];
  for (let start = first - (first % advanceMs); start <= timestamp; start += advanceMs) out.push({start, end: start + sizeMs});
  return out;
}

/**
 * The stream time at which a window closes: from then on it takes no record, its
 * final result is due and the store may drop it. Kafka's checks, restated:
 * time windows take a record while end > streamTime − grace (end exclusive);
 * sliding windows while end ≥ streamTime − grace (end inclusive); sessions while
 * end ≥ streamTime − grace − gap (a record up to gap after the end still merges).
 */
export function closeTime(spec: WindowSpec, window: TimeWindow): number {
  switch (spec.kind) {
    case 'tumbling':
    case 'hopping':
      return window.end + spec.graceMs;
    case 'sliding':
      return window.end + spec.graceMs + 1;
    case 'session':
      return window.end + spec.gapMs + spec.graceMs + 1;
  }
}

/** 90000 → "90s", 60000 → "1m", 1500 → "1500ms": the largest unit that divides it. */
export function durationText(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** "tumbling 10s, grace 2s" — for logs and views. */
export function describeWindows(spec: WindowSpec, ms: (n: number) => string = durationText): string {
  const grace = `grace ${ms(spec.graceMs)}`;
  switch (spec.kind) {
    case 'tumbling':
      return `tumbling ${ms(spec.sizeMs)}, ${grace}`;
    case 'hopping':
      return `hopping ${ms(spec.sizeMs)} every ${ms(spec.advanceMs)}, ${grace}`;
    case 'sliding':
      return `sliding ${ms(spec.differenceMs)}, ${grace}`;
    case 'session':
      return `sessions with gap ${ms(spec.gapMs)}, ${grace}`;
  }
}

/**
 * The stream time from which a closed window is forgotten. Time windows go when
 * they close (retention = size + grace). A sliding window is kept 2 × difference
 * longer, a session one gap longer: later records still look back that far for
 * the windows next to theirs, as Kafka's store retention lets them.
 */
export function expireTime(spec: WindowSpec, window: TimeWindow): number {
  const close = closeTime(spec, window);
  if (spec.kind === 'sliding') return close + 2 * spec.differenceMs;
  if (spec.kind === 'session') return close + spec.gapMs;
  return close;
}
