/**
 * The rungs of a retry ladder: one retry topic per delay, named after the
 * source topic and the delay (`orders.v1.retry.5s`), like Spring Kafka's
 * non-blocking retries. Give explicit delays, or a backoff that computes them.
 */
export interface Rung {
  index: number;
  delayMs: number;
  topic: string;
}

export type Backoff =
  | {kind: 'fixed'; delayMs: number; maxAttempts: number}
  | {kind: 'exponential'; initialMs: number; multiplier: number; maxDelayMs: number; maxAttempts: number};

export const DEFAULT_DELAYS_MS = [1000, 5000, 30_000];

/** Delays for each retry (the first attempt happens on the source topic, so maxAttempts − 1 rungs). */
export function backoffDelays(backoff: Backoff): number[] {
  const retries = Math.max(0, backoff.maxAttempts - 1);
  if (backoff.kind === 'fixed') return Array.from({length: retries}, () => backoff.delayMs);
  return Array.from({length: retries}, (_, i) => Math.min(Math.round(backoff.initialMs * backoff.multiplier ** i), backoff.maxDelayMs));
}

/** "500ms", "1s", "30s", "2m", "1h", "1m30s": short and readable in a topic name. */
export function formatDelay(ms: number): string {
  if (ms < 1000 || ms % 1000 !== 0) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s}s`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${Math.floor(s / 60)}m${s % 60}s`;
}

/** Rung topics; a repeated delay gets a numeric suffix so every rung has its own topic. */
export function rungsFor(sourceTopic: string, delaysMs: number[]): Rung[] {
  const seen = new Map<string, number>();
  return delaysMs.map((delayMs, index) => {
    const base = `${sourceTopic}.retry.${formatDelay(delayMs)}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return {index, delayMs, topic: n === 0 ? base : `${base}-${n}`};
  });
}
