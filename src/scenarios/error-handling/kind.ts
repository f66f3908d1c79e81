import {durationFlag, ratioFlag} from '../flags.js';
import type {ScenarioKind} from '../kinds.js';
import {runErrorHandlingScenario} from './run.js';
import {ErrorHandlingScenarioSchema, type ErrorHandlingScenario} from './schema.js';

const flags = {
  'poison-rate': ratioFlag('Share of poison pills, 0..1 (malformed JSON and schema violations).', '0.1'),
  'fail-rate': ratioFlag('Share of dependency calls that fail until it recovers, 0..1.', '0.5'),
  'recover-after': durationFlag('When the flaky dependency recovers, e.g. 10s (from the start of the run).', '10s'),
};

/** Dead-letter and retry-ladder scenarios: an order workload through one pattern participant. */
export const errorHandlingKind: ScenarioKind<ErrorHandlingScenario, typeof flags, never> = {
  kind: 'error-handling',
  label: 'dlt/retry',
  schema: ErrorHandlingScenarioSchema,
  flags,
  applyFlags(s, o) {
    const dependency = s.faults.dependency ?? {failRate: 0, recoverAfter: 0};
    return {
      ...s,
      workload: {
        ...s.workload,
        count: o.count ?? s.workload.count,
        rate: o.rate ?? s.workload.rate,
        poisonRate: o['poison-rate'] ?? s.workload.poisonRate,
        seed: o.seed ?? s.workload.seed,
      },
      faults: {
        ...s.faults,
        dependency: {failRate: o['fail-rate'] ?? dependency.failRate, recoverAfter: o['recover-after'] ?? dependency.recoverAfter},
      },
      timeout: o.timeout ?? s.timeout,
    };
  },
  run: runErrorHandlingScenario,
  resumable: true,
};
