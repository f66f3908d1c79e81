import type {ScenarioKind} from '../kinds.js';
import type {ReplayKindEvent} from './events.js';
import {runReplayScenario} from './run.js';
import {ReplayScenarioSchema, type ReplayScenario} from './schema.js';

/** A read model built with a bug, rebuilt by replaying its consumer group, then replayed again to show nothing changes. */
export const replayKind: ScenarioKind<ReplayScenario, Record<never, never>, ReplayKindEvent> = {
  kind: 'replay',
  label: 'replay',
  schema: ReplayScenarioSchema,
  flags: {},
  applyFlags: (s, o) => ({
    ...s,
    workload: {...s.workload, count: o.count ?? s.workload.count, rate: o.rate ?? s.workload.rate, seed: o.seed ?? s.workload.seed},
    timeout: o.timeout ?? s.timeout,
  }),
  run: runReplayScenario,
  resumable: false,
};
