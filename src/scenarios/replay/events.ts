import type {ReplayEvent} from '../../patterns/replay/events.js';

/** The steps of the replay scenario, in order. */
export type ReplayPhase = 'build' | 'fix' | 'replay' | 'replay-again' | 'check';

/** What the replay scenario tells its views besides the replay pattern's own events. */
export type ReplayScenarioEvent =
  | {type: 'replay-phase'; at: number; phase: ReplayPhase; detail: string}
  /** The plan a replay is about to execute: per partition, committed offset, target and records. */
  | {
      type: 'replay-planned';
      at: number;
      phase: ReplayPhase;
      group: string;
      target: string;
      records: number;
      partitions: Array<{topic: string; partition: number; current: number | null; target: number | null; records: number | null}>;
    }
  /** The read model at a step: total in cents per customer, and how many customers differ from the from-scratch result. */
  | {type: 'read-model'; at: number; stage: 'before' | 'from-scratch' | 'after' | 'after-replay-again'; totalsCents: Record<string, number>; sumCents: number; wrongCustomers: number};

/** Every event the replay scenario adds to the common ones: the replay pattern's and its own steps. */
export type ReplayKindEvent = ReplayEvent | ReplayScenarioEvent;
