import type {WindowEvent} from '../../patterns/window/events.js';
import type {WindowSnapshot} from '../../patterns/window/window-aggregation.js';

/** The steps of the window scenario, in order. */
export type WindowPhase = 'aggregate' | 'crash' | 'restore' | 'check';

/** What the window scenario tells its views. */
export type WindowKindEvent =
  | {type: 'window-phase'; at: number; phase: WindowPhase; detail: string}
  /** One aggregation's own event (results, late records, commits, restore), as the window library emits it. */
  | {type: 'window-event'; at: number; aggregation: string; event: WindowEvent}
  /** What one aggregation holds now: its open windows (soonest to close first) and stream time per partition. */
  | {type: 'window-snapshot'; at: number; aggregation: string; open: WindowSnapshot['open']; openCount: number; streamTimes: Record<number, number>}
  /** The aggregators died mid-run: what they had committed by then, and what they had read since (lost with them). */
  | {type: 'window-crash'; at: number; aggregation: string; committedRecords: number; lostRecords: number};
