import type {Timed} from './sample-window.js';

/**
 * How a consumer group is doing on one partition, judged the way Burrow judges it:
 * from a sliding window of observations rather than from one lag number.
 *   OK      caught up at some point, or progressing without falling behind
 *   WARN    lag grew over the window and never shrank (the consumer falls behind, or has just stopped)
 *   STALL   lag > 0 and the committed offset has not moved for `stallMs`
 *   STOP    lag > 0 and the committed offset has not moved for longer than the window
 *   REWIND  the committed offset went backwards within the window (an offset reset, a replay)
 */
export type Health = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'REWIND';

/** One observation of a group on a partition. */
export interface OffsetSample extends Timed {
  committed: number;
  /** end − committed at that moment (see partitionLag). */
  lag: number;
}

export interface HealthWindow {
  /** Only samples this recent are judged; no progress for longer than this is STOP. */
  windowMs: number;
  /** No progress for this long while lag > 0 is STALL. Longer than a consumer's commit interval (Java's is 5 s). */
  stallMs: number;
}

export const DEFAULT_HEALTH_WINDOW: HealthWindow = {windowMs: 30_000, stallMs: 10_000};

/** Fewest samples that can show lag "keeps growing" (two intervals). */
const MIN_SAMPLES_FOR_TREND = 3;

/**
 * Pure: the same samples and `now` always give the same answer. `samples` are oldest
 * first and may reach back past the window (see keepWindow); null means too little to
 * judge (no sample in the window).
 */
export function evaluateHealth(samples: readonly OffsetSample[], now: number, window: HealthWindow = DEFAULT_HEALTH_WINDOW): Health | null {
  const from = now - window.windowMs;
  const recent = samples.filter((s) => s.at >= from);
  const newest = samples.at(-1);
  if (!newest || recent.length === 0) return null;

  for (let i = 1; i < samples.length; i++) {
    if (samples[i]!.at >= from && samples[i]!.committed < samples[i - 1]!.committed) return 'REWIND';
  }
  if (newest.lag === 0) return 'OK';

  // How long the group has sat on this offset with records waiting: the trailing run of such samples.
  let stuckFrom = samples.length - 1;
  while (stuckFrom > 0 && samples[stuckFrom - 1]!.committed === newest.committed && samples[stuckFrom - 1]!.lag > 0) stuckFrom--;
  const stuckFor = now - samples[stuckFrom]!.at;
  if (stuckFor > window.windowMs) return 'STOP';
  if (stuckFor >= window.stallMs) return 'STALL';

  if (recent.length >= MIN_SAMPLES_FOR_TREND && recent.every((s, i) => s.lag > 0 && (i === 0 || s.lag >= recent[i - 1]!.lag))) {
    if (newest.lag > recent[0]!.lag) return 'WARN';
  }
  return 'OK';
}

const SEVERITY: Record<Health, number> = {OK: 0, WARN: 1, REWIND: 2, STALL: 3, STOP: 4};

/** The most alarming of several partitions' health (a group's headline); null when none could be judged. */
export function worstHealth(all: ReadonlyArray<Health | null>): Health | null {
  let worst: Health | null = null;
  for (const h of all) if (h !== null && (worst === null || SEVERITY[h] > SEVERITY[worst])) worst = h;
  return worst;
}
