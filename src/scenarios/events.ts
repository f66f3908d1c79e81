import type {PatternEvent} from '../patterns/events.js';
import type {ScenarioReport} from './report.js';

/** What a scenario run tells its views: pattern events, its own progress, then the report. */
export type ScenarioEvent =
  | PatternEvent
  | {type: 'scenario-started'; at: number; scenario: string; runId: string; resumed: boolean; expected: number; topics: string[]}
  | {type: 'workload-progress'; at: number; produced: number; total: number}
  | {type: 'progress'; at: number; expected: number; handled: number; deadLettered: number; onRungs: number}
  | ScenarioReport;
