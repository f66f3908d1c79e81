import type {ReplayProgress} from '../../patterns/replay/events.js';
import type {ReplayPlan} from '../../patterns/replay/replay.js';
import type {InvariantResult} from '../error-handling/invariants.js';
import {cents, modelDifferences} from './payments.js';
import type {ProjectorCounts} from './projector.js';

/** One replay of the projector's group: its plan, how far the group got, what the projector did. */
export interface ReplayPass {
  plan: ReplayPlan;
  progress: ReplayProgress;
  counts: ProjectorCounts;
  /** Rows the read-model topic grew by during the pass. */
  rowsWritten: number;
  /** The whole pass: waiting for the group, planning, executing, reading again. */
  durationMs: number;
  /** From the projector's start until its group was through the replayed records. */
  readMs: number;
}

/** What a run found, read back from the topics; a step not reached is null. */
export interface ReplayFacts {
  /** Payments (and refunds) this run wrote. */
  records: number;
  fromScratch: ReadonlyMap<string, number>;
  before: ReadonlyMap<string, number> | null;
  after: ReadonlyMap<string, number> | null;
  afterAgain: ReadonlyMap<string, number> | null;
  replay: ReplayPass | null;
  replayAgain: ReplayPass | null;
}

const sample = (diffs: ReturnType<typeof modelDifferences>, what: string) =>
  diffs
    .slice(0, 3)
    .map((d) => `${d.customerId}: ${cents(d.a)} ${what} ${cents(d.b)}`)
    .join(', ') + (diffs.length > 3 ? ` … (+${diffs.length - 3})` : '');

const notReached = (name: string, step: string): InvariantResult => ({name, ok: false, detail: `the run stopped before ${step}`});

function bugVisibleBeforeReplay(f: ReplayFacts): InvariantResult {
  const name = 'bug-visible-before-replay';
  if (!f.before) return notReached(name, 'the first model was built');
  const diffs = modelDifferences(f.before, f.fromScratch);
  return {
    name,
    ok: diffs.length > 0,
    detail:
      diffs.length > 0
        ? `${diffs.length} of ${f.fromScratch.size} customers wrong before the replay — ${sample(diffs, 'instead of')}`
        : 'the buggy model matched the from-scratch one: the workload needs refunds (raise refundRate) for the bug to show',
  };
}

function replayCoveredTheRun(f: ReplayFacts): InvariantResult {
  const name = 'replay-covered-the-run';
  if (!f.replay) return notReached(name, 'the replay');
  const {plan, progress} = f.replay;
  const ok = plan.totals.replays === f.records && progress.done && progress.lag === 0;
  return {
    name,
    ok,
    detail: `the plan replayed ${plan.totals.replays} of the run's ${f.records} records; the group committed past ${progress.replayed} of ${progress.total}, lag ${progress.lag} at the end`,
  };
}

function modelRebuilt(f: ReplayFacts): InvariantResult {
  const name = 'model-rebuilt-equals-from-scratch';
  if (!f.after) return notReached(name, 'the model was rebuilt');
  const diffs = modelDifferences(f.after, f.fromScratch);
  const sum = [...f.fromScratch.values()].reduce((a, b) => a + b, 0);
  return {
    name,
    ok: diffs.length === 0,
    detail: diffs.length === 0 ? `all ${f.fromScratch.size} customers equal the from-scratch totals (together ${cents(sum)})` : `${diffs.length} customers differ — ${sample(diffs, 'instead of')}`,
  };
}

function replayAgainChangesNothing(f: ReplayFacts): InvariantResult {
  const name = 'second-replay-changes-nothing';
  if (!f.replayAgain || !f.after || !f.afterAgain) return notReached(name, 'the second replay');
  const {counts, rowsWritten, progress} = f.replayAgain;
  const diffs = modelDifferences(f.afterAgain, f.after);
  // Records of other runs in the replayed range are skipped, not applied: they never were this model's.
  const ok = progress.done && counts.applied === 0 && rowsWritten === 0 && counts.alreadyApplied + counts.skipped === progress.total && diffs.length === 0;
  return {
    name,
    ok,
    detail: ok
      ? `replayed ${progress.total} records again: each one found already applied, 0 rows written, the model unchanged`
      : `replayed ${progress.replayed} of ${progress.total} again: ${counts.applied} applied again, ${rowsWritten} rows written, ${diffs.length} customers changed${diffs.length > 0 ? ` — ${sample(diffs, 'was')}` : ''}`,
  };
}

export const REPLAY_INVARIANTS = [bugVisibleBeforeReplay, replayCoveredTheRun, modelRebuilt, replayAgainChangesNothing];
