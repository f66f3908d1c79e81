import type {WindowSnapshot} from '../../../patterns/window/window-aggregation.js';
import type {WindowPhase} from '../../../scenarios/window/events.js';

/** One aggregation as the view shows it. */
export interface AggregationView {
  results: number;
  late: number;
  open: WindowSnapshot['open'];
  openCount: number;
  streamTimes: Record<number, number>;
  /** Changelog records restored of those to restore, while or after a restore. */
  restore: {restored: number; records: number; done: boolean} | null;
  crashed: boolean;
}

export interface WindowViewState {
  phase: WindowPhase | null;
  detail: string;
  produced: number;
  expected: number;
  /** By aggregation name, in the order they first spoke. */
  aggregations: Record<string, AggregationView>;
}

export const WINDOW_PHASES: readonly WindowPhase[] = ['aggregate', 'crash', 'restore', 'check'];

export const emptyAggregation = (): AggregationView => ({results: 0, late: 0, open: [], openCount: 0, streamTimes: {}, restore: null, crashed: false});
