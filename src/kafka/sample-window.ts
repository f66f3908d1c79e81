/** Time-stamped observations kept over a sliding window: pure helpers shared by rates and health. */
export interface Timed {
  /** Milliseconds since the epoch (or any clock the caller uses consistently). */
  at: number;
}

/**
 * The samples newer than `now − windowMs`, plus the newest one before that: the
 * anchor tells how long a value has held when it held for the whole window.
 */
export function keepWindow<T extends Timed>(samples: readonly T[], now: number, windowMs: number): T[] {
  const from = now - windowMs;
  const firstInside = samples.findIndex((s) => s.at >= from);
  if (firstInside === -1) return samples.slice(-1);
  return samples.slice(Math.max(0, firstInside - 1));
}

/** Growth per second of `value` between the oldest and newest sample; 0 with fewer than two samples or no time between them. */
export function ratePerSecond<T extends Timed>(samples: readonly T[], value: (s: T) => number): number {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.at <= first.at) return 0;
  return Math.max(0, (value(last) - value(first)) / ((last.at - first.at) / 1000));
}
