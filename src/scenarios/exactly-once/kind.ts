import {choiceFlag, durationFlag, integerFlag, ratioFlag} from '../flags.js';
import type {ScenarioKind} from '../kinds.js';
import type {EosKindEvent} from './events.js';
import {NO_FAULTS} from './faults.js';
import {runEosScenario} from './run.js';
import {EosScenarioSchema, type EosScenario} from './schema.js';

const flags = {
  'drop-responses': ratioFlag('Share of Produce responses the fault proxy drops after the broker wrote the records, 0..1.', '0.05'),
  delay: durationFlag('Extra delay on every response through the fault proxy, e.g. 20ms.', '20ms'),
  crash: integerFlag('Instances that die between producing and committing (positions from the seed).', {min: 0, max: 10, example: '1'}),
  zombie: integerFlag('Instances that stall mid-transaction, are replaced, then wake up (0 = none).', {min: 0, max: 3, example: '1'}),
  'fail-rate': ratioFlag('Share of payments whose processing fails once, aborting their unit, 0..1.', '0.02'),
  faults: choiceFlag('off: no faults at all, the baseline; on: the faults of the file and flags.', ['on', 'off'] as const),
  'transaction-size': integerFlag('Input records per transaction (per produce-then-commit unit).', {min: 1, max: 10_000, example: '100'}),
};

/** Three consume-transform-produce pipelines (at-least-once, idempotent, transactional) on the same input, under the same faults. */
export const eosKind: ScenarioKind<EosScenario, typeof flags, EosKindEvent> = {
  kind: 'exactly-once',
  label: 'exactly-once',
  schema: EosScenarioSchema,
  flags,
  applyFlags(s, o) {
    const given = {
      dropResponses: o['drop-responses'] ?? s.faults.dropResponses,
      delay: o.delay ?? s.faults.delay,
      crash: o.crash ?? s.faults.crash,
      zombie: o.zombie ?? s.faults.zombie,
      failRate: o['fail-rate'] ?? s.faults.failRate,
    };
    return {
      ...s,
      workload: {...s.workload, payments: o.count ?? s.workload.payments, rate: o.rate ?? s.workload.rate, seed: o.seed ?? s.workload.seed},
      transactionRecords: o['transaction-size'] ?? s.transactionRecords,
      faults: o.faults === 'off' ? NO_FAULTS : given,
      timeout: o.timeout ?? s.timeout,
    };
  },
  run: runEosScenario,
  resumable: false,
};
