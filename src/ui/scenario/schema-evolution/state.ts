import type {ConsumerCounts, NamedViolation} from '../../../scenarios/schema-evolution/events.js';

/** A schema version as the registry answered it. */
export interface VersionView {
  version: string;
  outcome: 'trying' | 'accepted' | 'refused';
  id?: number;
  registryVersion?: number;
}

export interface RefusalView {
  version: string;
  level: string;
  expected: boolean;
  violations: NamedViolation[];
}

export interface EvolutionViewState {
  subject: string;
  level: string | null;
  produced: number;
  expected: number;
  /** In the order the steps tried them. */
  versions: VersionView[];
  producers: Record<string, number>;
  consumers: Record<string, ConsumerCounts>;
  refusals: RefusalView[];
}

export const initialEvolutionState = (): EvolutionViewState => ({subject: '', level: null, produced: 0, expected: 0, versions: [], producers: {}, consumers: {}, refusals: []});
