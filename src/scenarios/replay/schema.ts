import {z} from 'zod';
import {DurationSchema} from '../../core/duration.js';

const TopicSchema = z.strictObject({
  name: z.string().min(1),
  partitions: z.number().int().min(1),
  configs: z.record(z.string(), z.string()).default({}),
});

/**
 * A replay scenario: a projector builds a read model from a payments topic with a
 * bug, the fix ships, its group is replayed to rebuild the model, then replayed
 * again to show the apply is idempotent. Every field has a meaning the runner honours.
 */
export const ReplayScenarioSchema = z
  .strictObject({
    kind: z.literal('replay'),
    name: z.string(),
    description: z.string(),
    topics: z.strictObject({
      /** The source: payments and refunds, keyed by customer. */
      payments: TopicSchema,
      /** The read model: one row per customer with its running total. */
      totals: TopicSchema,
    }),
    /** The projector's consumer group: the one that is replayed. */
    group: z.string().min(1),
    workload: z.strictObject({
      count: z.number().int().min(1),
      /** Records per second; 0 sends as fast as possible. */
      rate: z.number().min(0),
      seed: z.number().int(),
      customers: z.number().int().min(1),
      /** Share of records that are refunds. */
      refundRate: z.number().min(0).max(1),
    }),
    /** What version 1 of the projector gets wrong. */
    bug: z.enum(['refunds-added', 'refunds-ignored']),
    timeout: DurationSchema,
  });

export type ReplayScenario = z.output<typeof ReplayScenarioSchema>;
export type ProjectorBug = ReplayScenario['bug'];
