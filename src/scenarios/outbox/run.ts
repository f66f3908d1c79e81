import {ConfigError} from '../../core/errors.js';
import {sleep} from '../../core/sleep.js';
import {withAdmin} from '../../kafka/client.js';
import type {Connection} from '../../kafka/connection.js';
import {startFaultProxy, type FaultProxy} from '../../kafka/proxy/index.js';
import type {OutboxDatabase} from '../../patterns/outbox/database.js';
import {openDatabases} from '../../patterns/outbox/open-database.js';
import {migrate} from '../../patterns/outbox/schema.js';
import {paced} from '../pacer.js';
import {scenarioReport, type ScenarioReport} from '../report.js';
import {newRunId, type RunOptions} from '../run-options.js';
import {ensureScenarioTopics} from '../topics.js';
import {OrderApp} from './apps.js';
import {auditVariant} from './audit.js';
import {emptyStats, type OutboxKindEvent, type VariantStats} from './events.js';
import {faultPlan} from './faults.js';
import {lossNote, outboxInvariants, type VariantOutcome} from './invariants.js';
import {pendingStats, RelaySet} from './relays.js';
import {OUTBOX_VARIANTS, type OutboxScenario, type OutboxVariant} from './schema.js';

async function endOffsets(conn: Connection, topic: string): Promise<Map<number, number>> {
  return withAdmin(conn, async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])));
}

interface Side {
  db: OutboxDatabase;
  proxy: FaultProxy | null;
  stats: VariantStats;
  written: Map<string, number>;
  from: Map<number, number>;
}

/**
 * One application places the same seeded orders twice over, side by side:
 * as a naive dual write (commit the order, then produce its event) and with
 * the transactional outbox (order and event in one transaction, relays
 * publish). Each variant has its own database schema, topic and fault proxy,
 * and meets the same faults at the same orders: the application crashing
 * between commit and produce, the broker unreachable for a while, a relay
 * crashing between publish and mark. At the end both are read back from the
 * database and the topic.
 */
export async function runOutboxScenario(s: OutboxScenario, opts: RunOptions<OutboxKindEvent>): Promise<ScenarioReport> {
  if (s.relay === 'logical' && !s.databaseUrl) throw new ConfigError('--relay logical reads the write-ahead log of a PostgreSQL server — pass --database-url postgres://… (wal_level=logical), or use --relay polling');
  if (opts.conn.tls) throw new ConfigError('the outbox scenario sends through a local fault proxy, which does not speak TLS — run it against a plaintext listener (e.g. `kpat up`)');
  const started = Date.now();
  const runId = newRunId();
  const plan = faultPlan(s);
  await ensureScenarioTopics(opts, OUTBOX_VARIANTS.map((v) => ({name: s.topics[v], partitions: s.partitions})));
  const sides = new Map<OutboxVariant, Side>();
  const relaysDone: Array<() => Promise<void>> = [];
  let timedOut = false;
  try {
    opts.events.emit({type: 'scenario-note', at: Date.now(), text: s.databaseUrl ? 'connecting to PostgreSQL…' : 'starting PGlite, PostgreSQL in WebAssembly (its first start takes a few seconds)…'});
    // PGlite has one connection: a database each, so the relays' turns never hold up the other variant.
    const dbs = await openDatabases({url: s.databaseUrl}, OUTBOX_VARIANTS.length);
    for (const [k, v] of OUTBOX_VARIANTS.entries()) sides.set(v, {db: dbs[k]!, proxy: null, stats: emptyStats(v === 'outbox'), written: new Map(), from: new Map()});
    for (const [v, sd] of sides) {
      await migrate(sd.db, s.schemas[v]);
      sd.from = await endOffsets(opts.conn, s.topics[v]);
      sd.proxy = await startFaultProxy({target: opts.conn.brokers[0]!, seed: s.workload.seed});
    }
    const side = (v: OutboxVariant) => sides.get(v) as Side & {proxy: FaultProxy};
    const db = side('outbox').db;
    opts.events.emit({type: 'scenario-note', at: Date.now(), text: `database: ${db.description}; relay: ${s.relay === 'logical' ? 'logical replication' : `polling × ${s.relays}`}`});
    opts.events.emit({type: 'scenario-started', at: Date.now(), scenario: s.name, runId, resumed: false, expected: s.workload.orders, topics: OUTBOX_VARIANTS.map((v) => s.topics[v])});

    const emit = (e: OutboxKindEvent) => opts.events.emit(e);
    const proxied = (v: OutboxVariant): Connection => ({...opts.conn, brokers: [side(v).proxy.bootstrap]});
    const ob = side('outbox');
    const relays = await RelaySet.start({s, runId, db, schema: s.schemas.outbox, conn: proxied('outbox'), plan, stats: ob.stats, written: ob.written, emit});
    relaysDone.push(() => relays.stop());

    const snapshot = () => {
      Object.assign(ob.stats, pendingStats(ob.written, Date.now()));
      emit({type: 'outbox-variants', at: Date.now(), variants: {'dual-write': {...side('dual-write').stats}, outbox: {...ob.stats}}});
    };
    const timer = setInterval(snapshot, 400);
    try {
      const apps = OUTBOX_VARIANTS.map(
        (v) => [v, new OrderApp({s, runId, variant: v, db: side(v).db, schema: s.schemas[v], topic: s.topics[v], conn: proxied(v), proxy: side(v).proxy, plan, stats: side(v).stats, written: side(v).written, emit})] as const,
      );
      await Promise.all(apps.map(([, app]) => app.start()));
      await Promise.all(
        apps.map(([, app]) =>
          paced(
            s.workload.orders,
            s.workload.rate,
            async (from, to) => {
              for (let i = from; i < to && !opts.signal?.aborted; i++) await app.place(i);
            },
            opts.signal,
            () => opts.events.emit({type: 'workload-progress', at: Date.now(), produced: Math.min(...OUTBOX_VARIANTS.map((x) => side(x).stats.placed)), total: s.workload.orders}),
          ),
        ),
      );
      await Promise.all(apps.map(([, app]) => app.close()));
      const deadline = started + s.timeout;
      while (ob.written.size > 0 && !opts.signal?.aborted) {
        if (Date.now() > deadline) {
          timedOut = true;
          break;
        }
        await sleep(100, opts.signal);
      }
    } finally {
      clearInterval(timer);
      await Promise.all(relaysDone.splice(0).map((stop) => stop()));
      snapshot();
    }

    const outcomes = {} as Record<OutboxVariant, VariantOutcome>;
    for (const v of OUTBOX_VARIANTS) {
      const sd = side(v);
      const audit = await auditVariant({conn: opts.conn, db: sd.db, schema: s.schemas[v], topic: s.topics[v], runId, from: sd.from, marks: s.relay === 'polling', hasOutbox: v === 'outbox'});
      emit({type: 'outbox-audit', at: Date.now(), variant: v, audit, lostSample: audit.lost.slice(0, 5)});
      outcomes[v] = {stats: {...sd.stats}, audit};
    }
    opts.events.emit({type: 'scenario-note', at: Date.now(), text: lossNote(outcomes['dual-write'])});

    const interrupted = opts.signal?.aborted ?? false;
    const invariants = outboxInvariants(outcomes, {orders: interrupted ? ob.stats.placed : s.workload.orders, relayCrashes: s.faults.relayCrash, interrupted});
    if (timedOut) invariants.unshift({name: 'finished-in-time', ok: false, detail: `the outbox still had ${ob.written.size} events to publish after ${s.timeout} ms`});
    const counts: Record<string, number> = {orders: s.workload.orders, relays: s.relay === 'logical' ? 1 : s.relays};
    for (const v of OUTBOX_VARIANTS) {
      const {stats, audit} = outcomes[v];
      Object.assign(counts, {
        [`${v}.orders`]: audit.orders,
        [`${v}.delivered`]: audit.delivered,
        [`${v}.applied`]: audit.applied,
        [`${v}.duplicatesDropped`]: audit.duplicatesDropped,
        [`${v}.ordersWithoutEvent`]: audit.ordersWithoutEvent,
        [`${v}.eventsWithoutOrder`]: audit.eventsWithoutOrder,
        [`${v}.pending`]: audit.pending,
        [`${v}.appCrashes`]: stats.appCrashes,
        [`${v}.sendFailures`]: stats.sendFailures,
        [`${v}.relayCrashes`]: stats.relayCrashes,
      });
    }
    const report = scenarioReport({scenario: s.name, runId, resumed: false, started, signal: opts.signal}, {counts, timings: {outageMs: s.faults.outage}, invariants});
    opts.events.emit(report);
    return report;
  } finally {
    await Promise.all(relaysDone.map((stop) => stop()));
    for (const sd of sides.values()) {
      await sd.proxy?.close();
      await sd.db.close();
    }
  }
}
