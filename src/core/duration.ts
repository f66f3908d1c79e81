import {z} from 'zod';

const UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/** "250ms", "5s", "2m", "1h", "1d", "1m30s" or a bare number of milliseconds. */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== t) return null;
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0));
}

/** A duration in a scenario file or flag: a string like "5s" or a number of milliseconds. */
export const DurationSchema = z.union([z.number().int().min(0), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({code: 'custom', message: `"${v}" is not a duration — use e.g. 500ms, 5s, 2m`});
    return z.NEVER;
  }
  return ms;
});
