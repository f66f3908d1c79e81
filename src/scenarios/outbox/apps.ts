import type {FaultProxy} from '../../kafka/proxy/index.js';
import type {Connection} from '../../kafka/connection.js';
import {Publisher} from '../../kafka/publisher.js';
import {prng} from '../../core/random.js';
import type {OutboxDatabase} from '../../patterns/outbox/database.js';
import {eventMessage} from '../../patterns/outbox/messages.js';
import {insertOrder, orderPlaced, placeOrder, type Order} from '../../patterns/outbox/orders.js';
import type {OutboxFaultPlan} from './faults.js';
import type {OutboxFault, OutboxKindEvent, VariantStats} from './events.js';
import type {OutboxScenario, OutboxVariant} from './schema.js';

/** Order i of a run: deterministic for a seed; its id carries the run id, so runs sharing a database never mix. */
export function orderOf(s: OutboxScenario, runId: string, i: number): Order {
  const rand = prng(s.workload.seed * 7919 + i);
  return {id: orderIdPrefix(runId) + i, customer: `cust-${Math.floor(rand() * s.workload.customers)}`, amount: Math.round((5 + rand() * 495) * 100) / 100};
}

export const orderIdPrefix = (runId: string) => `o-${runId}-`;

export interface AppContext {
  s: OutboxScenario;
  runId: string;
  variant: OutboxVariant;
  db: OutboxDatabase;
  schema: string;
  topic: string;
  /** The broker as the application sees it: through its variant's fault proxy. */
  conn: Connection;
  proxy: FaultProxy;
  plan: OutboxFaultPlan;
  stats: VariantStats;
  /** Outbox events written, and when: what the relays have yet to publish. */
  written: Map<string, number>;
  emit(e: OutboxKindEvent): void;
}

/**
 * The application of one variant: places orders one by one. The dual write
 * commits the order, then produces its event (a crash or a failed produce in
 * between loses the event); the outbox variant commits order and event in one
 * transaction and leaves publishing to the relays. Both meet the broker
 * outage at the same order.
 */
export class OrderApp {
  private publisher: Publisher | null = null;
  private outage: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: AppContext) {}

  /** Connects the dual write's producer before the first order, as a running application would have. */
  async start(): Promise<void> {
    if (this.ctx.variant === 'dual-write') this.publisher = await Publisher.connect(this.ctx.conn, 'dual-write', {client: {fast: true}});
  }

  async place(i: number): Promise<void> {
    const {ctx} = this;
    if (i === ctx.plan.outageAt) this.startOutage();
    const order = orderOf(ctx.s, ctx.runId, i);
    const crash = ctx.plan.appCrashAt.has(i);
    if (ctx.variant === 'outbox') {
      const event = await placeOrder(ctx.db, ctx.schema, order);
      ctx.written.set(event.id, Date.now());
      ctx.stats.placed++;
      if (crash) this.crashed(order, 'after committing; the order and its event were committed together, the relay publishes it');
      return;
    }
    await ctx.db.transaction((tx) => insertOrder(tx, ctx.schema, order));
    ctx.stats.placed++;
    if (crash) {
      this.crashed(order, 'after committing, before producing: its event is never sent');
      await this.dropPublisher();
      return;
    }
    try {
      this.publisher ??= await Publisher.connect(ctx.conn, 'dual-write', {client: {fast: true}});
      await this.publisher.sendOne(eventMessage(ctx.topic, orderPlaced(order)));
      ctx.stats.published++;
    } catch (error) {
      ctx.stats.sendFailures++;
      this.fault('produce-failed', `${order.id} committed but its produce failed (${(error as Error).message.split(' — ')[0]}): the event is lost`);
      await this.dropPublisher();
    }
  }

  /** Waits for the outage (if any) to be over, then lets go of the producer. */
  async close(): Promise<void> {
    await this.outage;
    await this.dropPublisher();
  }

  private startOutage(): void {
    const {ctx} = this;
    ctx.proxy.setPlan({cutProbability: 1});
    ctx.proxy.cutAll();
    ctx.stats.brokerDown = true;
    this.fault('broker-down', `the broker is unreachable for ${ctx.s.faults.outage} ms (from order ${ctx.plan.outageAt})`);
    this.outage = new Promise<void>((resolve) =>
      setTimeout(() => {
        ctx.proxy.setPlan({});
        ctx.stats.brokerDown = false;
        this.fault('broker-back', 'the broker is reachable again');
        resolve();
      }, ctx.s.faults.outage),
    );
  }

  private crashed(order: Order, detail: string): void {
    this.ctx.stats.appCrashes++;
    this.fault('app-crash', `the application crashed on ${order.id} ${detail}`);
  }

  private async dropPublisher(): Promise<void> {
    await this.publisher?.close();
    this.publisher = null;
  }

  private fault(fault: OutboxFault, detail: string): void {
    this.ctx.emit({type: 'outbox-fault', at: Date.now(), variant: this.ctx.variant, fault, detail});
  }
}
