import type {PatternEvent} from '../patterns/events.js';
import type {ScenarioReport} from './report.js';

/**
 * What every scenario run tells its views: the pattern events of its
 * participants, that it started, how far its workload is, a note worth
 * reading, then the report. A kind adds its own events (see ScenarioEvent).
 */
export type CommonScenarioEvent =
  | PatternEvent
  | {type: 'scenario-started'; at: number; scenario: string; runId: string; resumed: boolean; expected: number; topics: string[]; stages?: string[]}
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

const COMMON_TYPES: ReadonlySet<string> = new Set(['handled', 'attempt-failed', 'retry-scheduled', 'retry-held', 'dead-lettered', 'scenario-started', 'workload-progress', 'progress', 'scenario-note', 'report']);

/** Whether an event is one every kind shares (its type narrows to CommonScenarioEvent). */
export function isCommonEvent<E extends KindEvent>(e: CommonScenarioEvent | E): e is CommonScenarioEvent {
  return COMMON_TYPES.has(e.type);
}
