import type {ScenarioKind} from '../kinds.js';
import {rejectOverrides, type ScenarioOverrides} from '../run-options.js';
import {runErrorHandlingScenario} from './run.js';
import {ErrorHandlingScenarioSchema, type ErrorHandlingScenario} from './schema.js';

function applyOverrides(s: ErrorHandlingScenario, o: ScenarioOverrides): ErrorHandlingScenario {
  rejectOverrides('dead-letter and retry', o, [
    ['fail', '--fail'],
    ['crash', '--crash'],
    ['duplicateRate', '--duplicate-rate'],
    ['slowMs', '--slow'],
    ['instances', '--instances'],
    ['deadlineMs', '--deadline'],
  ]);
  const dependency = s.faults.dependency ?? {failRate: 0, recoverAfter: 0};
  return {
    ...s,
    workload: {
      ...s.workload,
      count: o.count ?? s.workload.count,
      rate: o.rate ?? s.workload.rate,
      poisonRate: o.poisonRate ?? s.workload.poisonRate,
      seed: o.seed ?? s.workload.seed,
    },
    faults: {
      ...s.faults,
      dependency: {failRate: o.failRate ?? dependency.failRate, recoverAfter: o.recoverAfterMs ?? dependency.recoverAfter},
    },
    timeout: o.timeoutMs ?? s.timeout,
  };
}

/** Dead-letter and retry-ladder scenarios: an order workload through one pattern participant. */
export const errorHandlingKind: ScenarioKind<ErrorHandlingScenario> = {
  kind: 'error-handling',
  schema: ErrorHandlingScenarioSchema,
  applyOverrides,
  run: runErrorHandlingScenario,
  resumable: true,
};
