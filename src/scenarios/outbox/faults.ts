import {prng} from '../../core/random.js';
import type {OutboxScenario} from './schema.js';

export interface OutboxFaultPlan {
  /** Orders after whose commit the application dies, before producing. */
  appCrashAt: ReadonlySet<number>;
  /** The order at which the broker becomes unreachable (null: no outage). */
  outageAt: number | null;
  /** Batches (counted over every relay, in the order they were published) after which their relay dies before marking them. */
  relayCrashAfter: ReadonlySet<number>;
}

/** The faults of a run, from the seed alone: both variants meet the same ones at the same orders. */
export function faultPlan(s: OutboxScenario): OutboxFaultPlan {
  const n = s.workload.orders;
  const rand = prng(s.workload.seed ^ 0x0b0c);
  const outageAt = s.faults.outage > 0 ? Math.floor(n * (0.3 + rand() * 0.2)) : null;
  const appCrashAt = new Set<number>();
  for (let tries = 0; appCrashAt.size < Math.min(s.faults.appCrash, n) && tries < n * 4; tries++) {
    const i = Math.floor(rand() * n);
    // Not during the outage: its produce would have failed anyway, and the crash would teach nothing.
    if (outageAt === null || i < outageAt || i > outageAt + 5) appCrashAt.add(i);
  }
  // The first batch, so that even a short run meets it, then spaced out.
  const relayCrashAfter = new Set(Array.from({length: s.faults.relayCrash}, (_, k) => 1 + k * 3));
  return {appCrashAt, outageAt, relayCrashAfter};
}
