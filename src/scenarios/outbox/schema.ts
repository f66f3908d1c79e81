import {z} from 'zod';
import {DurationSchema} from '../../core/duration.js';

/** The two ways an application sends an event about what it wrote. */
export const OUTBOX_VARIANTS = ['dual-write', 'outbox'] as const;
export type OutboxVariant = (typeof OUTBOX_VARIANTS)[number];

const perVariant = z.strictObject({'dual-write': z.string().min(1), outbox: z.string().min(1)});
const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _ only');

/**
 * The outbox scenario file: one application placing orders twice over — the
 * naive dual write (commit, then produce) and the transactional outbox — each
 * with its own database schema and topic, under the same seeded faults.
 */
export const OutboxScenarioSchema = z.strictObject({
  kind: z.literal('outbox'),
  name: z.string(),
  description: z.string(),
  topics: perVariant,
  partitions: z.number().int().min(1),
  /** Each variant's tables live in their own database schema. */
  schemas: z.strictObject({'dual-write': identifier, outbox: identifier}),
  /** postgres://… for a PostgreSQL server; absent: PGlite in memory, for this run only. */
  databaseUrl: z.string().min(1).optional(),
  /** polling: relays poll the outbox table. logical: one relay reads it through logical replication (PostgreSQL server only). */
  relay: z.enum(['polling', 'logical']),
  /** Polling relays side by side. */
  relays: z.number().int().min(1).max(8),
  workload: z.strictObject({
    orders: z.number().int().min(1),
    rate: z.number().min(0),
    seed: z.number().int(),
    customers: z.number().int().min(1),
  }),
  faults: z.strictObject({
    /** The application dies between its database commit and its produce, this many times. */
    appCrash: z.number().int().min(0),
    /** How long the broker is unreachable, once, partway through the orders (0: never). */
    outage: DurationSchema,
    /** A relay dies between publishing a batch and marking it, this many times. */
    relayCrash: z.number().int().min(0),
  }),
  timeout: DurationSchema,
});

export type OutboxScenario = z.output<typeof OutboxScenarioSchema>;
