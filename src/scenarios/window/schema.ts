import {z} from 'zod';
import {DurationSchema} from '../../core/duration.js';

const TopicSchema = z.strictObject({
  name: z.string().min(1),
  partitions: z.number().int().min(1),
  configs: z.record(z.string(), z.string()).default({}),
});

/** One windowed average over the readings: its windows, grace and where its results go. */
const AggregationSchema = z
  .strictObject({
    /** Names the aggregation in the report and its per-run app id. */
    name: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes'),
    size: DurationSchema,
    /** Hopping windows: a new one every this long; absent: tumbling. */
    advance: DurationSchema.optional(),
    grace: DurationSchema,
    output: TopicSchema,
  })
  .refine((a) => a.size > 0 && (a.advance === undefined || (a.advance > 0 && a.advance <= a.size)), {message: 'size must be positive and advance from 1ms to size'});

/**
 * A windowed-aggregation scenario: seeded temperature readings with generated
 * event times (some out of order within the grace period, some late beyond it),
 * averaged per sensor in windows, with a crash of the aggregators mid-run and
 * their restore from the changelog, checked against an independent recomputation.
 */
export const WindowScenarioSchema = z.strictObject({
  kind: z.literal('window'),
  name: z.string(),
  description: z.string(),
  topics: z.strictObject({readings: TopicSchema}),
  aggregations: z.array(AggregationSchema).min(1),
  /** Prefix of each run's app ids (consumer groups, changelogs): `<prefix>.<runId>.<aggregation>`. */
  appIdPrefix: z.string().min(1),
  workload: z.strictObject({
    count: z.number().int().min(1),
    /** Records per second; 0 sends as fast as possible. Event times are simulated either way. */
    rate: z.number().min(0),
    seed: z.number().int(),
    sensors: z.number().int().min(1),
    /** How far the simulated clock moves per reading. */
    step: DurationSchema,
    /** Share of readings delayed by less than the grace period: out of order, still counted. */
    outOfOrderShare: z.number().min(0).max(1),
    /** Share of readings delayed by more than a window and its grace: late, dropped. */
    lateShare: z.number().min(0).max(1),
  }),
  /** The aggregators crash once this share of the workload is through, and restart (0: no crash). */
  crashAt: z.number().min(0).max(1),
  timeout: DurationSchema,
});

export type WindowScenario = z.output<typeof WindowScenarioSchema>;
export type WindowScenarioAggregation = WindowScenario['aggregations'][number];
