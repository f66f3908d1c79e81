export interface InvariantResult {
  name: string;
  ok: boolean;
  detail: string;
  /** Not judged on this run (it says why); counts as ok. */
  skipped?: boolean;
}

/** The end of a scenario run: counts, timings and each invariant with pass or fail. */
export interface ScenarioReport {
  type: 'report';
  scenario: string;
  runId: string;
  ok: boolean;
  resumed: boolean;
  durationMs: number;
  counts: Record<string, number>;
  timings: Record<string, number>;
  invariants: InvariantResult[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}
