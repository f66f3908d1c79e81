import {plural} from '../../core/plural.js';
import type {InvariantResult} from '../report.js';
import type {ReaderPass} from './reader-pass.js';
import type {Pass} from './schema.js';

export interface ClaimCheckOutcome {
  /** Document id → sha-256 of its payload as sent. */
  sent: Map<string, string>;
  /** Document id → the reason its record must be dead-lettered (its blob deleted or corrupted). */
  faulty: Map<string, 'blob-missing' | 'sha256-mismatch'>;
  passes: Record<Pass, ReaderPass>;
  /** Per pass, dead letters on the DLT for this run (document id → reason), read back from the topic. */
  dlt: Record<Pass, Map<string, string>>;
  /** Per pass, whether its group committed to the end of the run's records. */
  caughtUp: Record<Pass, boolean>;
  orphans: Set<string>;
  gcDeleted: Set<string>;
  /** The blobs left in the store after gc, and those the run's records reference. */
  storeAfterGc: Set<string>;
  referenced: Set<string>;
  /** Blobs the faults deleted on purpose. */
  deletedByFault: Set<string>;
  largestRecord: number;
  limit: number;
  /** Records of the run on the topic, read back. */
  records: number;
}

const sample = (ids: string[]) => ids.slice(0, 3).join(', ') + (ids.length > 3 ? ' …' : '');

/**
 * What must hold: every reader got every intact payload byte for byte, the
 * damaged ones went to the DLT with their reason and no reader stopped at
 * them, gc removed exactly the orphans (and kept every referenced blob), and
 * nothing on the topic is over the limit.
 */
export function claimCheckInvariants(o: ClaimCheckOutcome, passes: readonly Pass[]): InvariantResult[] {
  const intact = [...o.sent].filter(([id]) => !o.faulty.has(id));
  const results: InvariantResult[] = [];
  const wrong = passes.flatMap((p) => intact.filter(([id, sha]) => o.passes[p].read.get(id) !== sha).map(([id]) => `${p}: ${id}`));
  results.push({
    name: 'payloads-intact',
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? `${passes.join(', ')} each read the ${intact.length} intact payloads back byte for byte (sha-256)` : `${wrong.length} payloads not read back intact (${sample(wrong)})`,
  });
  const misrouted = passes.flatMap((p) =>
    [...o.faulty].filter(([id, reason]) => o.dlt[p].get(id) !== reason || o.passes[p].read.has(id)).map(([id, reason]) => `${p}: ${id} expected ${reason}, DLT says ${o.dlt[p].get(id) ?? 'nothing'}`),
  );
  const extra = passes.flatMap((p) => [...o.dlt[p].keys()].filter((id) => !o.faulty.has(id)).map((id) => `${p}: ${id}`));
  results.push({
    name: 'faults-dead-lettered',
    ok: misrouted.length === 0 && extra.length === 0,
    detail:
      misrouted.length + extra.length === 0
        ? `${plural(o.faulty.size, 'record')} with a missing or corrupt blob dead-lettered with the right reason by each reader, nothing else`
        : [misrouted.length > 0 ? `wrong or missing: ${sample(misrouted)}` : '', extra.length > 0 ? `dead-lettered though intact: ${sample(extra)}` : ''].filter(Boolean).join('; '),
  });
  const behind = passes.filter((p) => !o.caughtUp[p]);
  results.push({name: 'offsets-advanced', ok: behind.length === 0, detail: behind.length === 0 ? 'every group committed past every record of the run, the dead-lettered ones included' : `behind: ${behind.join(', ')}`});
  const kept = [...o.orphans].filter((sha) => !o.gcDeleted.has(sha));
  const wrongly = [...o.gcDeleted].filter((sha) => !o.orphans.has(sha));
  const lost = [...o.referenced].filter((sha) => !o.storeAfterGc.has(sha) && !o.deletedByFault.has(sha));
  results.push({
    name: 'gc-removed-exactly-the-orphans',
    ok: kept.length === 0 && wrongly.length === 0 && lost.length === 0,
    detail: `gc deleted ${o.gcDeleted.size - wrongly.length} of ${plural(o.orphans.size, 'orphan')}${wrongly.length > 0 ? ` and ${wrongly.length} blobs that were not orphans` : ''}; ${plural(o.storeAfterGc.size, 'blob')} left${lost.length > 0 ? `, ${lost.length} referenced blobs missing` : ', every referenced one'}`,
  });
  results.push({
    name: 'no-record-over-the-limit',
    ok: o.largestRecord <= o.limit,
    detail: `the largest of the run's ${o.records} records on the topic is ${o.largestRecord} bytes (max.message.bytes ${o.limit})`,
  });
  return results;
}
