import {z} from 'zod';

/**
 * The saga's events, keyed by orderId, each in one envelope validated with zod:
 * who caused it (causationId), which saga it belongs to (correlationId), and a
 * typed payload. An event id is derived from its order and type — each step
 * happens at most once per order — so a redelivered or re-published event is
 * recognisably the same event.
 */
const Item = {productId: z.string(), quantity: z.number().int().positive()};
const Money = {customerId: z.string(), amount: z.number().positive()};

export const PayloadSchemas = {
  OrderPlaced: z.object({...Money, ...Item}),
  PaymentAuthorized: z.object({...Money, ...Item, balanceAfter: z.number()}),
  PaymentDeclined: z.object({...Money, reason: z.string()}),
  PaymentRefunded: z.object({...Money, balanceAfter: z.number(), reason: z.string()}),
  InventoryReserved: z.object({...Item, stockAfter: z.number()}),
  InventoryRejected: z.object({...Item, reason: z.string()}),
  InventoryReleased: z.object({...Item, stockAfter: z.number(), reason: z.string()}),
  OrderCompleted: z.object({amount: z.number()}),
  OrderCancelled: z.object({amount: z.number(), reason: z.string()}),
} as const;

export type SagaEventType = keyof typeof PayloadSchemas;
export type Payload<T extends SagaEventType> = z.infer<(typeof PayloadSchemas)[T]>;

const base = {
  eventId: z.string().min(1),
  orderId: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().nullable(),
  timestamp: z.string(),
  runId: z.string(),
};

export const EnvelopeSchema = z.discriminatedUnion('type', [
  z.object({...base, type: z.literal('OrderPlaced'), payload: PayloadSchemas.OrderPlaced}),
  z.object({...base, type: z.literal('PaymentAuthorized'), payload: PayloadSchemas.PaymentAuthorized}),
  z.object({...base, type: z.literal('PaymentDeclined'), payload: PayloadSchemas.PaymentDeclined}),
  z.object({...base, type: z.literal('PaymentRefunded'), payload: PayloadSchemas.PaymentRefunded}),
  z.object({...base, type: z.literal('InventoryReserved'), payload: PayloadSchemas.InventoryReserved}),
  z.object({...base, type: z.literal('InventoryRejected'), payload: PayloadSchemas.InventoryRejected}),
  z.object({...base, type: z.literal('InventoryReleased'), payload: PayloadSchemas.InventoryReleased}),
  z.object({...base, type: z.literal('OrderCompleted'), payload: PayloadSchemas.OrderCompleted}),
  z.object({...base, type: z.literal('OrderCancelled'), payload: PayloadSchemas.OrderCancelled}),
]);

export type Envelope<T extends SagaEventType = SagaEventType> = Extract<z.infer<typeof EnvelopeSchema>, {type: T}>;

/** Which topic each event type lives on. */
export const TOPIC_OF: Record<SagaEventType, 'orders' | 'payments' | 'inventory' | 'outcomes'> = {
  OrderPlaced: 'orders',
  PaymentAuthorized: 'payments',
  PaymentDeclined: 'payments',
  PaymentRefunded: 'payments',
  InventoryReserved: 'inventory',
  InventoryRejected: 'inventory',
  InventoryReleased: 'inventory',
  OrderCompleted: 'outcomes',
  OrderCancelled: 'outcomes',
};

export interface SagaTopics {
  orders: string;
  payments: string;
  inventory: string;
  outcomes: string;
  notifications: string;
}

export const eventIdOf = (type: SagaEventType, orderId: string) => `${type}:${orderId}`;

/** A new event caused by `cause` (same saga, same run). */
export function follow<T extends SagaEventType>(cause: Envelope, type: T, payload: Payload<T>, now = new Date()): Envelope<T> {
  return {
    eventId: eventIdOf(type, cause.orderId),
    type,
    orderId: cause.orderId,
    correlationId: cause.correlationId,
    causationId: cause.eventId,
    timestamp: now.toISOString(),
    runId: cause.runId,
    payload,
  } as Envelope<T>;
}
