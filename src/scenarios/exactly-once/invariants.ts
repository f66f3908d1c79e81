import {plural} from '../../core/plural.js';
import type {InvariantResult} from '../report.js';
import type {PipelineAudit, PipelineStats} from './events.js';
import {EOS_MODES, type EosMode} from './schema.js';

export interface PipelineOutcome {
  stats: PipelineStats;
  audit: PipelineAudit;
  /** Input partitions whose committed offset reached the end of the run's input, and how many there are. */
  caughtUp: number;
  partitions: number;
}

const sample = (ids: string[]) => ids.slice(0, 3).join(', ') + (ids.length > 3 ? ' …' : '');

/**
 * What must hold whatever the faults: no pipeline lost a payment (each is at
 * least once); the transactional one wrote each exactly once for read_committed
 * readers, its group committed to the end of the input, and a zombie was fenced.
 * The other pipelines' duplicates are the lesson, not a failure.
 */
export function eosInvariants(outcomes: Record<EosMode, PipelineOutcome & {missingIds: string[]}>, opts: {payments: number; zombies: number}): InvariantResult[] {
  const lost = EOS_MODES.filter((m) => outcomes[m].audit.missing > 0);
  const txn = outcomes.transactional;
  return [
    {
      name: 'nothing-lost',
      ok: lost.length === 0,
      detail: lost.length === 0 ? `every pipeline wrote each of the ${opts.payments} payments at least once` : lost.map((m) => `${m}: ${outcomes[m].audit.missing} payments missing (${sample(outcomes[m].missingIds)})`).join('; '),
    },
    {
      name: 'transactional-exactly-once',
      ok: txn.audit.duplicates === 0 && txn.audit.missing === 0,
      detail: `read_committed sees ${txn.audit.outputs} ledger entries for ${opts.payments} payments, ${txn.audit.duplicates} duplicates${txn.audit.uncommittedOnly > 0 ? ` (${txn.audit.uncommittedOnly} aborted copies only read_uncommitted sees)` : ''}`,
    },
    {
      name: 'transactional-offsets-at-end',
      ok: txn.caughtUp === txn.partitions,
      detail: `the transactional group committed to the end of ${txn.caughtUp} of ${txn.partitions} input partitions`,
    },
    opts.zombies === 0
      ? {name: 'zombie-fenced', ok: true, skipped: true, detail: 'no zombie injected (--zombie 0)'}
      : {name: 'zombie-fenced', ok: txn.stats.fenced >= 1, detail: `${plural(txn.stats.zombies, 'transactional zombie')}, ${txn.stats.fenced} fenced when ${txn.stats.zombies === 1 ? 'it' : 'they'} woke`},
  ];
}

/** Which fault made each pipeline's duplicates, in words, for the report's notes. */
export function duplicateCauses(outcomes: Record<EosMode, PipelineOutcome>): string[] {
  return EOS_MODES.filter((m) => outcomes[m].audit.duplicates > 0).map((m) => {
    // A failed record causes none: its unit fails before producing anything.
    const {stats, audit} = outcomes[m];
    const causes: string[] = [];
    if (m === 'at-least-once' && stats.responsesDropped > 0) causes.push(`${plural(stats.responsesDropped, 'dropped Produce response')} (the retry wrote the records again)`);
    if (stats.crashes > 0) causes.push(`${stats.crashes === 1 ? '1 crash' : `${stats.crashes} crashes`} between produce and commit (the unit was done again)`);
    if (stats.zombies > 0) causes.push(`${plural(stats.zombies, 'zombie')} (its unit was done again by the replacement)`);
    return `${m}: ${audit.duplicates} duplicates from ${causes.join(', ') || 're-processing'}`;
  });
}
