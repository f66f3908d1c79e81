import {z} from 'zod';
import {DurationSchema} from '../../core/duration.js';

/**
 * An error-handling scenario (dlt, retry): its topics, order workload, the
 * pattern participants and their consumer groups, the faults it can inject, and
 * the invariants checked at the end. Every field has a meaning the runner honours.
 */
const TopicSchema = z.strictObject({
  name: z.string().min(1),
  partitions: z.number().int().min(1),
  configs: z.record(z.string(), z.string()).default({}),
});

const WorkloadSchema = z.strictObject({
  generator: z.enum(['orders']),
  topic: z.string(),
  count: z.number().int().min(0),
  /** Records per second; 0 sends as fast as possible. */
  rate: z.number().min(0),
  seed: z.number().int(),
  /** Share of records that are poison pills (half malformed JSON, half schema violations). */
  poisonRate: z.number().min(0).max(1).default(0),
  customers: z.number().int().min(1).default(50),
});

const DependencySchema = z.strictObject({
  failRate: z.number().min(0).max(1),
  recoverAfter: DurationSchema,
});

const BaseParticipant = {
  name: z.string(),
  group: z.string(),
  instances: z.number().int().min(1).default(1),
  topic: z.string(),
  /** Where the handler's side effect is written (one record per handled order). */
  output: z.string(),
  dlt: z.string().optional(),
};

const DeadLetterParticipant = z.strictObject({
  ...BaseParticipant,
  pattern: z.literal('dead-letter'),
  blockingRetries: z.strictObject({attempts: z.number().int().min(0), backoff: DurationSchema}).default({attempts: 0, backoff: 0}),
});

const RetryLadderParticipant = z.strictObject({
  ...BaseParticipant,
  pattern: z.literal('retry-ladder'),
  delays: z.array(DurationSchema).min(1).optional(),
  backoff: z
    .discriminatedUnion('kind', [
      z.strictObject({kind: z.literal('fixed'), delay: DurationSchema, maxAttempts: z.number().int().min(1)}),
      z.strictObject({kind: z.literal('exponential'), initial: DurationSchema, multiplier: z.number().min(1), maxDelay: DurationSchema, maxAttempts: z.number().int().min(1)}),
    ])
    .optional(),
});

export const ParticipantSchema = z.discriminatedUnion('pattern', [DeadLetterParticipant, RetryLadderParticipant]);

export const ErrorHandlingScenarioSchema = z
  .strictObject({
    kind: z.literal('error-handling'),
    name: z.string(),
    description: z.string(),
    topics: z.array(TopicSchema).min(1),
    workload: WorkloadSchema,
    faults: z.strictObject({dependency: DependencySchema.optional()}).default({}),
    participants: z.array(ParticipantSchema).min(1),
    invariants: z.array(z.string()).min(1),
    /** Largest delay a record may see behind a poison pill on its partition (no head-of-line blocking). */
    headOfLineBound: DurationSchema.default(2000),
    timeout: DurationSchema,
  });

export type ErrorHandlingScenario = z.output<typeof ErrorHandlingScenarioSchema>;
export type ParticipantSpec = z.output<typeof ParticipantSchema>;

