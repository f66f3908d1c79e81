import {ratioFlag} from '../flags.js';
import type {ScenarioKind} from '../kinds.js';
import type {WindowKindEvent} from './events.js';
import {runWindowScenario} from './run.js';
import {WindowScenarioSchema, type WindowScenario} from './schema.js';

const flags = {
  'crash-at': ratioFlag('The aggregators crash once this share of the readings is through, then restore and resume, 0..1 (0: no crash).', '0.5'),
  'late-share': ratioFlag('Share of readings delayed past their windows and grace (late, dropped), 0..1.', '0.02'),
  'out-of-order-share': ratioFlag('Share of readings delayed within the grace period (out of order, still counted), 0..1.', '0.1'),
};

/** Seeded sensor readings averaged in tumbling and hopping windows, a crash and restore, checked by an independent recomputation. */
export const windowKind: ScenarioKind<WindowScenario, typeof flags, WindowKindEvent> = {
  kind: 'window',
  label: 'window',
  schema: WindowScenarioSchema,
  flags,
  applyFlags: (s, o) => ({
    ...s,
    workload: {
      ...s.workload,
      count: o.count ?? s.workload.count,
      rate: o.rate ?? s.workload.rate,
      seed: o.seed ?? s.workload.seed,
      lateShare: o['late-share'] ?? s.workload.lateShare,
      outOfOrderShare: o['out-of-order-share'] ?? s.workload.outOfOrderShare,
    },
    crashAt: o['crash-at'] ?? s.crashAt,
    timeout: o.timeout ?? s.timeout,
  }),
  run: runWindowScenario,
  resumable: false,
};
