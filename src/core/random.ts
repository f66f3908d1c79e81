/**
 * Seeded randomness, so a scenario is the same run after run for a given
 * --seed: a small PRNG for sequences, and a hash for decisions that must not
 * depend on timing or order (does attempt 2 of record 17 fail?).
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform number in [0, 1) determined by the seed and the parts. */
export function chance(seed: number, ...parts: Array<string | number>): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const ch of parts.join('\u0000')) {
    h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
