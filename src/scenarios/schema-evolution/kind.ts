import {COMPATIBILITY_LEVELS} from '../../registry/compatibility/levels.js';
import {choiceFlag} from '../flags.js';
import type {ScenarioKind} from '../kinds.js';
import type {EvolutionKindEvent} from './events.js';
import {runEvolutionScenario} from './run.js';
import {EvolutionScenarioSchema, type EvolutionScenario} from './schema.js';

const flags = {
  compatibility: choiceFlag('The subject\'s compatibility level for the steps that name none (NONE lets the breaking change in: the report then fails).', COMPATIBILITY_LEVELS),
};

/** An Avro Order schema evolving under the registry's checks, with producers and consumers of every version side by side. */
export const evolutionKind: ScenarioKind<EvolutionScenario, typeof flags, EvolutionKindEvent> = {
  kind: 'schema-evolution',
  label: 'schema-evolution',
  schema: EvolutionScenarioSchema,
  flags,
  applyFlags: (s, o) => ({
    ...s,
    workload: {...s.workload, count: o.count ?? s.workload.count, rate: o.rate ?? s.workload.rate, seed: o.seed ?? s.workload.seed},
    compatibility: o.compatibility ?? s.compatibility,
    timeout: o.timeout ?? s.timeout,
  }),
  run: runEvolutionScenario,
  resumable: false,
};
