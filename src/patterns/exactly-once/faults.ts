/** An input record by position: faults are planned on positions so a run is the same for a given seed. */
export interface InputPosition {
  partition: number;
  offset: number;
}

/**
 * Faults the processor injects into itself, each once, at the unit of work
 * (transaction) holding the given input record:
 * - crash: after the outputs are produced and before the offsets are committed,
 *   the instance drops its clients without committing or aborting; a new
 *   instance takes over from the group's committed offsets;
 * - zombie: at the same point the instance stalls (no heartbeats, no work) with
 *   its transaction open; a replacement takes the partition over, then the
 *   stalled one wakes and tries to commit;
 * - fail: the transform throws for that record (once), so the unit aborts.
 * A scenario picks the positions from its seed.
 */
export interface FaultPlan {
  crash?: InputPosition[];
  zombie?: InputPosition[];
  fail?: InputPosition[];
}

export type FaultKind = keyof FaultPlan;

export class InjectedFailure extends Error {
  override name = 'InjectedFailure';
}

const key = (p: InputPosition) => `${p.partition}/${p.offset}`;

/** The plan's faults still to fire, shared by every instance of one processor so each fires once. */
export class PendingFaults {
  private readonly pending = new Map<FaultKind, Set<string>>();

  constructor(plan: FaultPlan = {}) {
    for (const kind of ['crash', 'zombie', 'fail'] as const) this.pending.set(kind, new Set((plan[kind] ?? []).map(key)));
  }

  /** True (once) when one of `inputs` carries a pending fault of this kind. */
  take(kind: FaultKind, inputs: InputPosition[]): boolean {
    const set = this.pending.get(kind)!;
    for (const input of inputs) {
      if (set.delete(key(input))) return true;
    }
    return false;
  }
}
