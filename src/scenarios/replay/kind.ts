import {ConfigError} from '../../core/errors.js';
import type {ScenarioKind} from '../kinds.js';
import {rejectOverrides, type ScenarioOverrides} from '../run-options.js';
import {runReplayScenario} from './run.js';
import {ReplayScenarioSchema, type ReplayScenario} from './schema.js';

function applyOverrides(s: ReplayScenario, o: ScenarioOverrides): ReplayScenario {
  rejectOverrides('replay', o, [
    ['poisonRate', '--poison-rate'],
    ['failRate', '--fail-rate'],
    ['recoverAfterMs', '--recover-after'],
    ['fail', '--fail'],
    ['crash', '--crash'],
    ['duplicateRate', '--duplicate-rate'],
    ['slowMs', '--slow'],
    ['instances', '--instances'],
    ['deadlineMs', '--deadline'],
  ]);
  if (o.count === 0) throw new ConfigError('--count must be at least 1: the replay scenario needs payments to project');
  return {
    ...s,
    workload: {...s.workload, count: o.count ?? s.workload.count, rate: o.rate ?? s.workload.rate, seed: o.seed ?? s.workload.seed},
    timeout: o.timeoutMs ?? s.timeout,
  };
}

/** A read model built with a bug, rebuilt by replaying its consumer group, then replayed again to show nothing changes. */
export const replayKind: ScenarioKind<ReplayScenario> = {
  kind: 'replay',
  schema: ReplayScenarioSchema,
  applyOverrides,
  run: runReplayScenario,
  resumable: false,
};
