import type {SagaEventType} from '../../patterns/saga/envelope.js';
import type {SagaState, SagaView} from '../../patterns/saga/saga-board.js';
import type {SagaMilestone} from './reached.js';

/** What the saga scenario tells its views besides the common scenario events. */
export type SagaKindEvent =
  | {type: 'saga-step'; at: number; orderId: string; event: SagaEventType; state: SagaState; detail?: string}
  /**
   * The board: `counts` are sagas in each state now; `reached` are sagas that
   * got to each milestone so far (cumulative: they match the report's counts).
   */
  | {type: 'saga-board'; at: number; counts: Record<SagaState, number>; reached: Record<SagaMilestone, number>; recent: SagaView[]}
  | {type: 'service-crashed'; at: number; service: string; instance: number};
