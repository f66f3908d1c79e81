import type {InvariantResult} from '../report.js';
import type {AggregationLog} from './aggregator.js';
import {recordRef, type OracleResult} from './oracle.js';

/** A result as read back from an output topic (read_committed). */
export interface EmittedResult {
  key: string;
  start: number;
  end: number;
  value: number | null;
}

/** What the report judges for one aggregation. */
export interface AggregationFacts {
  name: string;
  oracle: OracleResult;
  emitted: EmittedResult[];
  log: AggregationLog;
  crashExpected: boolean;
}

const TOLERANCE = 1e-9;
const id = (w: {key: string; start: number; end: number}) => `${w.key}@${w.start}/${w.end}`;
const sample = (items: string[]) => items.slice(0, 3).join(', ') + (items.length > 3 ? ` … (+${items.length - 3})` : '');

function resultsMatch(f: AggregationFacts): InvariantResult {
  const want = new Map(f.oracle.closed.map((w) => [id(w), w]));
  const wrong = f.emitted.filter((r) => {
    const w = want.get(id(r));
    return !w || r.value === null || Math.abs(r.value - w.avg) > TOLERANCE * Math.max(1, Math.abs(w.avg));
  });
  const described = wrong.map((r) => `${id(r)} = ${r.value}${want.has(id(r)) ? ` (oracle ${want.get(id(r))!.avg})` : ' (no such closed window)'}`);
  return {
    name: `${f.name}: results-equal-oracle`,
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? `all ${f.emitted.length} results equal the recomputed averages` : `${wrong.length} of ${f.emitted.length} results differ — ${sample(described)}`,
  };
}

function everyWindowEmitted(f: AggregationFacts): InvariantResult {
  const got = new Set(f.emitted.map(id));
  const missing = f.oracle.closed.filter((w) => !got.has(id(w))).map(id);
  return {
    name: `${f.name}: every-closed-window-emitted`,
    ok: missing.length === 0 && f.oracle.closed.length > 0,
    detail:
      missing.length > 0
        ? `${missing.length} of ${f.oracle.closed.length} closed windows have no result — ${sample(missing)}`
        : f.oracle.closed.length === 0
          ? 'no window closed: send more readings (--count) so stream time passes a window and its grace'
          : `all ${f.oracle.closed.length} closed windows have a result (${f.oracle.open} still open at the end)`,
  };
}

function noneTwice(f: AggregationFacts): InvariantResult {
  const seen = new Set<string>();
  const twice = f.emitted.map(id).filter((k) => seen.size === seen.add(k).size);
  return {name: `${f.name}: no-result-twice`, ok: twice.length === 0, detail: twice.length === 0 ? `${f.emitted.length} results, each window once` : `${twice.length} results repeated — ${sample(twice)}`};
}

function lateAsOracle(f: AggregationFacts): InvariantResult {
  const want = new Set(f.oracle.late);
  const got = f.log.late.map(recordRef);
  const unexpected = got.filter((r) => !want.has(r));
  const gotSet = new Set(got);
  const missed = f.oracle.late.filter((r) => !gotSet.has(r));
  const ok = unexpected.length === 0 && missed.length === 0 && got.length === want.size;
  return {
    name: `${f.name}: late-records-as-oracle`,
    ok,
    detail: ok
      ? `${want.size} late records, the same ones the recomputation finds`
      : `${got.length} dropped as late, the recomputation says ${want.size}: ${unexpected.length} not late (${sample(unexpected)}), ${missed.length} missed (${sample(missed)})`,
  };
}

function restoredAfterCrash(f: AggregationFacts): InvariantResult {
  const name = `${f.name}: restored-after-crash`;
  if (!f.crashExpected) return {name, ok: true, skipped: true, detail: 'no crash on this run (crashAt 0)'};
  const restore = f.log.restores.find((r) => r.afterCrash);
  const ok = f.log.crashes === 1 && restore !== undefined && restore.restored > 0;
  return {
    name,
    ok,
    detail: restore ? `crashed ${f.log.crashes}×, then restored ${restore.windows} windows from ${restore.restored} changelog records` : `crashed ${f.log.crashes}×, no restore from the changelog followed`,
  };
}

export const AGGREGATION_INVARIANTS = [resultsMatch, everyWindowEmitted, noneTwice, lateAsOracle, restoredAfterCrash];
