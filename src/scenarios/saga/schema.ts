import {z} from 'zod';
import {DurationSchema} from '../../core/duration.js';

const Service = z.strictObject({group: z.string(), instances: z.number().int().min(1).default(1)});
export const SAGA_SERVICES = ['order', 'payment', 'inventory', 'notification'] as const;
export type SagaServiceName = (typeof SAGA_SERVICES)[number];

/**
 * A choreography saga scenario: the saga's topics, the orders sent (customers,
 * products, quantities, amounts), each service's opening state and consumer
 * group, the saga deadline, and the faults to inject.
 */
export const SagaScenarioSchema = z
  .strictObject({
    kind: z.literal('saga'),
    name: z.string(),
    description: z.string(),
    topics: z.strictObject({orders: z.string(), payments: z.string(), inventory: z.string(), outcomes: z.string(), notifications: z.string()}),
    partitions: z.number().int().min(1),
    workload: z.strictObject({
      orders: z.number().int().min(0),
      rate: z.number().min(0),
      seed: z.number().int(),
      customers: z.number().int().min(1),
      products: z.number().int().min(1),
      quantity: z.strictObject({min: z.number().int().min(1), max: z.number().int().min(1)}),
      amount: z.strictObject({min: z.number().positive(), max: z.number().positive()}),
    }),
    state: z.strictObject({openingBalance: z.number().min(0), openingStock: z.number().int().min(0)}),
    services: z.strictObject({order: Service, payment: Service, inventory: Service, notification: Service}),
    /** An order without an outcome after this long is cancelled and compensated. */
    deadline: DurationSchema,
    faults: z
      .strictObject({
        /** This step always fails. */
        fail: z.enum(['none', 'payment', 'inventory']).default('none'),
        /** Each payment and inventory step fails with this probability (seeded). */
        failRate: z.number().min(0).max(1).default(0),
        /** One instance of this service dies mid-run (between its work and its commit) and restarts. */
        crash: z.enum(['none', 'order', 'payment', 'inventory']).default('none'),
        /** Share of events published twice. */
        duplicateRate: z.number().min(0).max(1).default(0),
        /** Extra delay per event, per service. */
        slow: z.partialRecord(z.enum(SAGA_SERVICES), DurationSchema).default({}),
      })
      .default({fail: 'none', failRate: 0, crash: 'none', duplicateRate: 0, slow: {}}),
    timeout: DurationSchema,
  });

export type SagaScenario = z.output<typeof SagaScenarioSchema>;
