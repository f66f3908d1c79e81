import type {SagaBoard, SagaStep} from '../../patterns/saga/saga-board.js';

/** The steps a saga can reach, in the order the board shows them; refunded and released are its compensations. */
export const SAGA_MILESTONES = ['placed', 'paid', 'reserved', 'completed', 'cancelled', 'refunded', 'released'] as const satisfies ReadonlyArray<SagaStep['step']>;
export type SagaMilestone = (typeof SAGA_MILESTONES)[number];

/** How many sagas reached each milestone so far: cumulative, so "placed" is every order of the run. */
export function sagasReached(board: SagaBoard): Record<SagaMilestone, number> {
  const reached = Object.fromEntries(SAGA_MILESTONES.map((m) => [m, 0])) as Record<SagaMilestone, number>;
  for (const saga of board.recent(board.size)) {
    for (const m of new Set(saga.steps.map((s) => s.step))) if (m in reached) reached[m as SagaMilestone]++;
  }
  return reached;
}
