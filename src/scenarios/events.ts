import type {PatternEvent} from '../patterns/events.js';
import type {ScenarioReport} from './report.js';

/**
 * What every scenario run tells its views: the pattern events of its
 * participants, that it started, how far its workload is, a note worth
 * reading, then the report. A kind adds its own events (see ScenarioEvent).
 */
export type CommonScenarioEvent =
  | PatternEvent
  | {type: 'scenario-started'; at: number; scenario: string; runId: string; resumed: boolean; expected: number; topics: string[]; stages?: string[]; groups?: string[]}
  | {type: 'workload-progress'; at: number; produced: number; total: number}
  | {type: 'progress'; at: number; expected: number; handled: number; deadLettered: number; onRungs: number}
  /** Something the run did that a person should know (a topic grown to the partitions the file asks for …). */
  | {type: 'scenario-note'; at: number; text: string}
  | ScenarioReport;

/** The shape every kind's own events have. */
export interface KindEvent {
  type: string;
  at: number;
}

/** The events of a run of one kind: the common ones and the kind's own (`E`). */
export type ScenarioEvent<E extends KindEvent = never> = CommonScenarioEvent | E;

// A record, so the compiler insists on every common type.
const COMMON_TYPES: Record<CommonScenarioEvent['type'], true> = {
  handled: true,
  'attempt-failed': true,
  'retry-scheduled': true,
  'retry-held': true,
  'dead-lettered': true,
  skipped: true,
  'scenario-started': true,
  'workload-progress': true,
  progress: true,
  'scenario-note': true,
  report: true,
};

/** Whether an event is one every kind shares (its type narrows to CommonScenarioEvent). */
export function isCommonEvent<E extends KindEvent>(e: CommonScenarioEvent | E): e is CommonScenarioEvent {
  return Object.hasOwn(COMMON_TYPES, e.type);
}
