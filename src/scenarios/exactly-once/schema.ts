import {z} from 'zod';
import {DurationSchema} from '../../core/duration.js';

export const EOS_MODES = ['at-least-once', 'idempotent', 'transactional'] as const;
export type EosMode = (typeof EOS_MODES)[number];

const perMode = z.strictObject({'at-least-once': z.string().min(1), idempotent: z.string().min(1), transactional: z.string().min(1)});

/**
 * The exactly-once scenario file: one input topic of payments, three
 * pipelines (one per processing mode) each with its own group and output
 * topic, and the faults every pipeline meets alike.
 */
export const EosScenarioSchema = z.strictObject({
  kind: z.literal('exactly-once'),
  name: z.string(),
  description: z.string(),
  topics: z.strictObject({input: z.string().min(1), outputs: perMode}),
  partitions: z.number().int().min(1),
  groups: perMode,
  workload: z.strictObject({
    payments: z.number().int().min(1),
    rate: z.number().min(0),
    seed: z.number().int(),
    accounts: z.number().int().min(1),
  }),
  /** Input records per transaction (per produce-then-commit unit in the other modes). */
  transactionRecords: z.number().int().min(1),
  /** How long the group waits for a silent member (a zombie) before handing its partitions on. */
  sessionTimeout: DurationSchema,
  faults: z.strictObject({
    /** Share of Produce requests whose response the proxy drops after the broker wrote them. */
    dropResponses: z.number().min(0).max(1),
    /** Extra delay on every response through the proxy. */
    delay: DurationSchema,
    /** Instances that die between producing and committing. */
    crash: z.number().int().min(0),
    /** Instances that stall with their unit open, are replaced, then wake. */
    zombie: z.number().int().min(0),
    /** Share of input records whose processing fails once (the unit aborts and is done again). */
    failRate: z.number().min(0).max(1),
  }),
  timeout: DurationSchema,
});

export type EosScenario = z.output<typeof EosScenarioSchema>;
