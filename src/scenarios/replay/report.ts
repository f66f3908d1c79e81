import {scenarioReport, type RunFacts, type ScenarioReport} from '../report.js';
import type {ReplayFacts} from './invariants.js';
import {byCustomer, modelDifferences, type Payment} from './payments.js';
import type {ReplayScenario} from './schema.js';

/** The report: counts (with every customer's total before, after and from scratch, in cents), timings, invariants. */
export function replayReport(s: ReplayScenario, run: RunFacts, payments: Payment[], f: ReplayFacts, invariants: ScenarioReport['invariants']): ScenarioReport {
  const perCustomer: Record<string, number> = {};
  for (const customer of [...f.fromScratch.keys()].sort(byCustomer)) {
    if (f.before) perCustomer[`paidCents.${customer}.before`] = f.before.get(customer) ?? 0;
    if (f.after) perCustomer[`paidCents.${customer}.after`] = f.after.get(customer) ?? 0;
    perCustomer[`paidCents.${customer}.fromScratch`] = f.fromScratch.get(customer)!;
  }
  return scenarioReport(run, {
    counts: {
      payments: payments.filter((p) => p.kind === 'payment').length,
      refunds: payments.filter((p) => p.kind === 'refund').length,
      customers: f.fromScratch.size,
      replayed: f.replay?.progress.replayed ?? 0,
      replayedAgain: f.replayAgain?.progress.replayed ?? 0,
      'rowsWritten.replay': f.replay?.rowsWritten ?? 0,
      'rowsWritten.replayAgain': f.replayAgain?.rowsWritten ?? 0,
      'alreadyApplied.replayAgain': f.replayAgain?.counts.alreadyApplied ?? 0,
      ...(f.before ? {'wrongCustomers.before': modelDifferences(f.before, f.fromScratch).length} : {}),
      ...(f.after ? {'wrongCustomers.after': modelDifferences(f.after, f.fromScratch).length} : {}),
      ...perCustomer,
    },
    timings: {
      replayMs: f.replay?.durationMs ?? 0,
      replayAgainMs: f.replayAgain?.durationMs ?? 0,
      replayReadMs: f.replay?.readMs ?? 0,
      replayRecordsPerSec: f.replay ? Math.round((f.replay.progress.replayed / Math.max(1, f.replay.readMs)) * 1000) : 0,
    },
    invariants,
  });
}
