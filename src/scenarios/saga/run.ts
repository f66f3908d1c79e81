import {ConfigError} from '../../core/errors.js';
import {readPartitions} from '../../kafka/partition-reader.js';
import {Publisher} from '../../kafka/publisher.js';
import {RecordConsumer} from '../../kafka/record-consumer.js';
import {deadLetterHandler} from '../../patterns/dead-letter/dead-letter-handler.js';
import {EventStream} from '../../core/event-stream.js';
import type {PatternEvent} from '../../patterns/events.js';
import type {RecordFilter} from '../../patterns/record-filter.js';
import {headerText} from '../../patterns/headers.js';
import {EnvelopeSchema, type Envelope, type SagaTopics} from '../../patterns/saga/envelope.js';
import {inventoryService} from '../../patterns/saga/inventory-service.js';
import {notificationService} from '../../patterns/saga/notification-service.js';
import {orderService} from '../../patterns/saga/order-service.js';
import {paymentService} from '../../patterns/saga/payment-service.js';
import {SagaBoard} from '../../patterns/saga/saga-board.js';
import {SagaService, type ServiceFaults} from '../../patterns/saga/service.js';
import {countSkipped, latestRunId, RUN_HEADER, thisRunOnly} from '../run-log.js';
import {placeRunGroups} from '../run-groups.js';
import {paced} from '../pacer.js';
import {chance} from '../../core/random.js';
import {scenarioReport, type ScenarioReport} from '../report.js';
import {ensureScenarioTopics} from '../topics.js';
import type {SagaKindEvent} from './events.js';
import {sagasReached} from './reached.js';
import {sleep} from '../../core/sleep.js';
import {newRunId, type RunOptions} from '../run-options.js';
import {sagaInvariants, sagasSettled} from './invariants.js';
import {ofType, readSagaLog, type SagaLog} from './saga-log.js';
import type {SagaScenario, SagaServiceName} from './schema.js';
import {orderMessage, orderPlaced} from './workload.js';

const DLT_OF = (topic: string) => `${topic}.dlt`;

/**
 * The run's saga events already in the topics, for services to rebuild their state
 * from (a resumed run). Other runs' events are not restored: customers and products
 * are per run, and an old run's undecided order must not be cancelled by this one.
 */
async function* history(opts: RunOptions<SagaKindEvent>, topics: SagaTopics, filter: RecordFilter): AsyncGenerator<Envelope> {
  for (const topic of [topics.orders, topics.payments, topics.inventory, topics.outcomes]) {
    for await (const r of readPartitions(opts.conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true})) {
      if (!filter.accepts(r)) continue;
      try {
        const parsed = EnvelopeSchema.safeParse(JSON.parse(r.value?.toString('utf8') ?? ''));
        if (parsed.success) yield parsed.data;
      } catch {
        // not a saga event: nothing to restore
      }
    }
  }
}

/**
 * The choreography saga: order, payment, inventory and notification services,
 * each its own consumer group, react to each other's events; failures are
 * compensated (refunds, stock released); the invariants are judged from the
 * events read back from the topics.
 */
export async function runSagaScenario(s: SagaScenario, opts: RunOptions<SagaKindEvent>): Promise<ScenarioReport> {
  const started = Date.now();
  const topics = s.topics;
  await ensureScenarioTopics(opts, [
    ...[topics.orders, topics.payments, topics.inventory, topics.outcomes, topics.notifications].map((name) => ({name, partitions: s.partitions})),
    ...[topics.orders, topics.payments, topics.inventory, topics.outcomes].map((t) => ({name: DLT_OF(t), partitions: s.partitions})),
  ]);
  const runId = opts.resume === true ? await latestRunId(opts.conn, topics.orders, s.name) : (opts.resume ?? newRunId());
  if (!runId) throw new ConfigError(`nothing to resume: ${topics.orders} has no orders of a ${s.name} run — run \`kpat scenario ${s.name}\` first`);
  const resumed = opts.resume !== undefined;
  const seed = s.workload.seed;
  const f = s.faults;

  const injected = (step: 'payment' | 'inventory') => (orderId: string) => {
    if (f.fail === step) return `injected failure (--fail ${step})`;
    if (f.failRate > 0 && chance(seed, step, orderId) < f.failRate) return `injected failure (--fail-rate ${f.failRate})`;
    return null;
  };
  const order = orderService({deadlineMs: s.deadline});
  const payment = paymentService({openingBalance: () => s.state.openingBalance, injectedFailure: injected('payment')});
  const inventory = inventoryService({openingStock: () => s.state.openingStock, injectedFailure: injected('inventory')});
  const notifications = notificationService();

  const filter = thisRunOnly(runId);
  const board = new SagaBoard();
  // A fresh run id has no events yet: only a resumed run has state to rebuild.
  if (resumed) {
    for await (const e of history(opts, topics, filter)) {
      for (const logic of [order, payment, inventory]) logic.restore(e);
      board.apply(e);
    }
    for await (const r of readPartitions(opts.conn, {topic: topics.notifications, start: {kind: 'earliest'}, stopAtEnd: true})) {
      const id = filter.accepts(r) ? headerText(r, 'kpat-outcome-event') : undefined;
      if (id) notifications.restoreNotified(id);
    }
  }

  const countPublished = opts.metrics?.saga(topics);
  const onPublished = (e: Envelope) => {
    board.apply(e);
    if (e.runId === runId) countPublished?.(e);
    if (e.runId === runId) {
      const detail = 'reason' in e.payload ? e.payload.reason : undefined;
      opts.events.emit({type: 'saga-step', at: Date.now(), orderId: e.orderId, event: e.type, state: board.stateOf(e.orderId) ?? 'placed', ...(detail ? {detail} : {})});
    }
  };
  const crashes: Array<{service: string; instance: number}> = [];
  const crashThreshold = Math.max(3, Math.floor(s.workload.orders * 0.25));
  const faultsFor = (name: SagaServiceName, service: () => SagaService): ServiceFaults => ({
    slowMs: f.slow[name] ?? 0,
    duplicate: f.duplicateRate > 0 ? (e) => chance(seed, 'duplicate', e.eventId) < f.duplicateRate : undefined,
    crashNow: f.crash === name ? () => crashes.length === 0 && service().published >= crashThreshold : undefined,
  });

  const consumed = {order: order.consumes, payment: payment.consumes, inventory: inventory.consumes, notification: ['outcomes' as const]};
  const groups = (Object.keys(consumed) as Array<keyof typeof consumed>).map((name) => ({groupId: s.services[name].group, topics: consumed[name].map((t) => topics[t])}));
  await placeRunGroups(opts, groups, resumed);

  const publisher = await Publisher.connect(opts.conn, `scenario-${s.name}`);
  const patternEvents = new EventStream<PatternEvent>();
  patternEvents.subscribe((e) => opts.events.emit(e));
  const skipped = countSkipped(patternEvents);
  const services: SagaService[] = [];
  const make = (name: 'order' | 'payment' | 'inventory', logic: typeof order | typeof payment | typeof inventory) => {
    const svc: SagaService = new SagaService(logic, {
      conn: opts.conn,
      group: s.services[name].group,
      instances: s.services[name].instances,
      topics,
      publisher,
      events: patternEvents,
      filter,
      faults: faultsFor(name, () => svc),
      onPublished,
      onCrash: (service, instance) => {
        crashes.push({service, instance});
        opts.events.emit({type: 'service-crashed', at: Date.now(), service, instance});
      },
    });
    services.push(svc);
    return svc;
  };
  const orderSvc = make('order', order);
  make('payment', payment);
  make('inventory', inventory);
  const notifier = Array.from(
    {length: s.services.notification.instances},
    (_, i) =>
      new RecordConsumer({
        conn: opts.conn,
        groupId: s.services.notification.group,
        topics: [topics.outcomes],
        clientId: `notification-${i}`,
        handle: deadLetterHandler({
          group: s.services.notification.group,
          filter,
          schema: EnvelopeSchema,
          publisher,
          events: patternEvents,
          handle: async (e: Envelope) => {
            const note = notifications.notify(e);
            if (note) await publisher.sendOne({topic: topics.notifications, key: note.orderId, value: note.text, headers: {[RUN_HEADER]: e.runId, 'kpat-outcome-event': note.outcomeEventId}});
          },
        }),
      }),
  );

  const deadlineTimer = setInterval(() => {
    orderSvc.publishNow(order.expired()).catch(() => {});
  }, Math.min(250, Math.max(50, s.deadline / 10)));
  const emitBoard = () => opts.events.emit({type: 'saga-board', at: Date.now(), counts: board.counts(), reached: sagasReached(board), recent: board.recent(12)});
  const boardTimer = setInterval(emitBoard, 500);
  let log: SagaLog = {events: [], byOrder: new Map(), duplicates: 0, invalid: 0};
  try {
    for (const svc of services) await svc.start();
    for (const c of notifier) await c.start();
    const expected = resumed ? ofType((await readSagaLog(opts.conn, topics, runId)).events, 'OrderPlaced').length : s.workload.orders;
    opts.events.emit({type: 'scenario-started', at: Date.now(), scenario: s.name, runId, resumed, expected, topics: [topics.orders, topics.payments, topics.inventory, topics.outcomes, topics.notifications], groups: groups.map((g) => g.groupId)});

    if (!resumed) {
      await paced(
        s.workload.orders,
        s.workload.rate,
        async (from, to) => {
          const placed = Array.from({length: to - from}, (_, k) => orderPlaced(s, runId, from + k));
          const messages = placed.flatMap((e) => {
            const m = orderMessage(topics, e, s.name);
            return f.duplicateRate > 0 && chance(seed, 'duplicate', e.eventId) < f.duplicateRate ? [m, m] : [m];
          });
          await publisher.send(messages);
          for (const e of placed) onPublished(e);
        },
        opts.signal,
        (produced) => opts.events.emit({type: 'workload-progress', at: Date.now(), produced, total: s.workload.orders}),
      );
    }

    const deadline = started + s.timeout;
    for (;;) {
      log = await readSagaLog(opts.conn, topics, runId);
      const placed = ofType(log.events, 'OrderPlaced').length;
      if ((placed >= expected && sagasSettled(log)) || Date.now() > deadline || opts.signal?.aborted) break;
      await sleep(400, opts.signal);
    }
  } finally {
    clearInterval(deadlineTimer);
    clearInterval(boardTimer);
    emitBoard();
    await Promise.all([...services.map((svc) => svc.stop()), ...notifier.map((c) => c.stop())]);
    await publisher.close();
  }

  const invariants = sagaInvariants(log, {stock: s.state.openingStock});
  const settled = ofType(log.events, 'OrderPlaced').length > 0 && sagasSettled(log);
  if (!settled) invariants.unshift({name: 'finished-in-time', ok: false, detail: opts.signal?.aborted ? 'stopped before every saga settled' : `not every saga settled within ${s.timeout} ms`});
  const cancelled = ofType(log.events, 'OrderCancelled');
  const reasonCount = (prefix: string) => cancelled.filter((e) => e.payload.reason.startsWith(prefix)).length;
  const report = scenarioReport({scenario: s.name, runId, resumed, started, signal: opts.signal}, {
    counts: {
      orders: ofType(log.events, 'OrderPlaced').length,
      completed: ofType(log.events, 'OrderCompleted').length,
      cancelled: cancelled.length,
      'cancelled.paymentDeclined': reasonCount('payment declined'),
      'cancelled.inventoryRejected': reasonCount('inventory rejected'),
      'cancelled.deadline': reasonCount('no outcome within'),
      refunds: ofType(log.events, 'PaymentRefunded').length,
      releases: ofType(log.events, 'InventoryReleased').length,
      duplicateDeliveries: log.duplicates,
      crashes: crashes.length,
      skippedOtherRuns: skipped(),
    },
    timings: {deadlineMs: s.deadline},
    invariants,
  });
  opts.events.emit(report);
  return report;
}
