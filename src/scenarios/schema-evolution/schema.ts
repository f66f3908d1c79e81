import {z} from 'zod';
import {DurationSchema} from '../../core/duration.js';
import {COMPATIBILITY_LEVELS} from '../../registry/compatibility/levels.js';

const LevelSchema = z.enum(COMPATIBILITY_LEVELS);
const VersionName = z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes');

/** An Avro record schema, as the registry gets it (checked by avsc when the run starts). */
const AvroRecordSchema = z.looseObject({
  type: z.literal('record'),
  name: z.string().min(1),
  fields: z.array(z.looseObject({name: z.string().min(1), type: z.unknown()})).min(1),
});

/** One try at registering a step's schema: under which level, and whether the registry must take it or refuse it (with which violation kinds). */
const AttemptSchema = z.strictObject({
  /** Absent: the scenario's `compatibility` (what --compatibility sets). */
  compatibility: LevelSchema.optional(),
  expect: z.enum(['accepted', 'refused']),
  /** The violation kinds a refusal must name, e.g. READER_FIELD_MISSING_DEFAULT_VALUE. */
  violations: z.array(z.string()).default([]),
});

/** A step of the story: a schema version tried, then (when the registry took it) its producers and consumers join in. */
const StepSchema = z.strictObject({
  version: VersionName,
  description: z.string(),
  attempts: z.array(AttemptSchema).min(1).default([{expect: 'accepted', violations: []}]),
  /** Versions whose producers write this step's share of the orders (registered versions only). */
  producers: z.array(VersionName).default([]),
  /** Consumers that start at this step, each reading the topic from its start with its own version as reader schema. */
  consumers: z.array(VersionName).default([]),
});

/**
 * The schema-evolution scenario: an Avro `Order` schema evolves step by step
 * under the registry's compatibility checks; producers and consumers of each
 * version run side by side on a run-scoped topic; `readers` says which
 * writers' records each consumer version must read (and so which it cannot).
 */
export const EvolutionScenarioSchema = z
  .strictObject({
    kind: z.literal('schema-evolution'),
    name: z.string(),
    description: z.string(),
    /** Each run writes `<prefix>.<runId>`, registered under `<prefix>.<runId>-value`. */
    topic: z.strictObject({prefix: z.string().min(1), partitions: z.number().int().min(1)}),
    /** Each consumer version's group: `<groupPrefix>.<runId>.<version>`. */
    groupPrefix: z.string().min(1),
    /** The subject's level for attempts that do not name one. */
    compatibility: LevelSchema,
    schemas: z.record(VersionName, AvroRecordSchema),
    steps: z.array(StepSchema).min(1),
    /** Reader version → the writer versions whose records it must read; records of any other writer it must fail to read. */
    readers: z.record(VersionName, z.array(VersionName)),
    workload: z.strictObject({
      count: z.number().int().min(1),
      rate: z.number().min(0),
      seed: z.number().int(),
      /** Values to pick from, per field name (other fields get generated values of their type). */
      values: z.record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean()])).min(1)).default({}),
    }),
    timeout: DurationSchema,
  })
  .superRefine((s, ctx) => {
    const named = (v: string, where: (string | number)[]) => {
      if (!(v in s.schemas)) ctx.addIssue({code: 'custom', path: where, message: `no schema "${v}" under schemas (there are ${Object.keys(s.schemas).join(', ')})`});
    };
    s.steps.forEach((step, i) => {
      named(step.version, ['steps', i, 'version']);
      step.producers.forEach((v, j) => named(v, ['steps', i, 'producers', j]));
      step.consumers.forEach((v, j) => {
        named(v, ['steps', i, 'consumers', j]);
        if (!(v in s.readers)) ctx.addIssue({code: 'custom', path: ['readers'], message: `the ${v} consumer has no entry: say which writer versions it must read (e.g. ${v}: [${v}])`});
      });
    });
    for (const [reader, writers] of Object.entries(s.readers)) {
      named(reader, ['readers', reader]);
      writers.forEach((w, j) => named(w, ['readers', reader, j]));
    }
  });

export type EvolutionScenario = z.output<typeof EvolutionScenarioSchema>;
export type EvolutionStep = EvolutionScenario['steps'][number];
export type EvolutionAttempt = EvolutionStep['attempts'][number];
export type AvroRecordJson = EvolutionScenario['schemas'][string];
