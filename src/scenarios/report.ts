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
  /** Every invariant held and the run was not interrupted. */
  ok: boolean;
  resumed: boolean;
  /** Stopped (q, Ctrl-C) before it finished: judged on what it got through, never ok. */
  interrupted: boolean;
  durationMs: number;
  counts: Record<string, number>;
  timings: Record<string, number>;
  invariants: InvariantResult[];
}

/** What a kind knows about its own run; the envelope around it is the same for every kind. */
export interface ReportBody {
  counts: Record<string, number>;
  timings: Record<string, number>;
  invariants: InvariantResult[];
}

export interface RunFacts {
  scenario: string;
  runId: string;
  resumed: boolean;
  /** When the run started (ms since the epoch). */
  started: number;
  /** The run's stop signal: aborted means interrupted. */
  signal?: AbortSignal;
}

/** The report of a run: the shared envelope (verdict, interruption, duration) around the kind's counts, timings and invariants. */
export function scenarioReport(run: RunFacts, body: ReportBody): ScenarioReport {
  const interrupted = run.signal?.aborted ?? false;
  return {
    type: 'report',
    scenario: run.scenario,
    runId: run.runId,
    ok: !interrupted && body.invariants.every((i) => i.ok),
    resumed: run.resumed,
    interrupted,
    durationMs: Date.now() - run.started,
    ...body,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}
