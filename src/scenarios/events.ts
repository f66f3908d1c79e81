import type {PatternEvent} from '../patterns/events.js';
import type {SagaEventType} from '../patterns/saga/envelope.js';
import type {SagaState, SagaView} from '../patterns/saga/saga-board.js';
import type {ReplayEvent} from '../patterns/replay/events.js';
import type {ReplayScenarioEvent} from './replay/events.js';
import type {ScenarioReport} from './report.js';

/** What a scenario run tells its views: pattern events, its own progress, then the report. */
export type ScenarioEvent =
  | PatternEvent
  | {type: 'scenario-started'; at: number; scenario: string; runId: string; resumed: boolean; expected: number; topics: string[]; stages?: string[]; groups?: string[]}
  | {type: 'workload-progress'; at: number; produced: number; total: number}
  | {type: 'progress'; at: number; expected: number; handled: number; deadLettered: number; onRungs: number}
  | {type: 'saga-step'; at: number; orderId: string; event: SagaEventType; state: SagaState; detail?: string}
  | {type: 'saga-board'; at: number; counts: Record<SagaState, number>; recent: SagaView[]}
  | {type: 'service-crashed'; at: number; service: string; instance: number}
  | ReplayEvent
  | ReplayScenarioEvent
  | ScenarioReport;
