import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {EventStream} from '../../src/core/event-stream.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import {startFaultProxy} from '../../src/kafka/proxy/index.js';
import type {OutboxDatabase} from '../../src/patterns/outbox/database.js';
import type {ChangeEvent} from '../../src/patterns/outbox/change-event.js';
import {DedupConsumer} from '../../src/patterns/outbox/dedup-consumer.js';
import type {RelayEvent} from '../../src/patterns/outbox/events.js';
import {openDatabase} from '../../src/patterns/outbox/open-database.js';
import {appendToOutbox, orderPlaced, placeOrder} from '../../src/patterns/outbox/orders.js';
import {PollingRelay} from '../../src/patterns/outbox/polling-relay.js';
import {migrate} from '../../src/patterns/outbox/schema.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {copiesBy, kcatRecords} from '../helpers/outbox.js';
import {readTopic} from '../helpers/read-topic.js';

let tb: TestBroker;
let db: OutboxDatabase;
let n = 0;
const relays: PollingRelay[] = [];
beforeAll(async () => {
  tb = await startTestBroker();
  db = await openDatabase();
}, 180_000);
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await db?.close();
  await tb?.stop();
});

/** A fresh schema and topic per test: the same PGlite, the same broker. */
async function fresh(partitions = 3): Promise<{schema: string; topic: string}> {
  n++;
  const schema = `t${n}`;
  const topic = `orders.outbox.t${n}`;
  await migrate(db, schema);
  await ensureTopics(tb.conn, [{name: topic, partitions}]);
  return {schema, topic};
}

const order = (i: number) => ({id: `o-${i}`, customer: `c-${i % 5}`, amount: 10 + i});
const pending = async (schema: string) => Number((await db.query<{n: string}>(`SELECT count(*) AS n FROM ${schema}.outbox WHERE published_at IS NULL`))[0]!.n);

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('outbox on PGlite', () => {
  it('migrations are idempotent, and an order and its event are written together or not at all', async () => {
    const {schema} = await fresh();
    await migrate(db, schema);
    await placeOrder(db, schema, order(1));
    // Same order id twice: the primary key refuses it, and the event of the failed transaction is gone with it.
    await expect(placeOrder(db, schema, order(1))).rejects.toThrow(/duplicate key/);
    const rows = await db.query<{n: string}>(`SELECT (SELECT count(*) FROM ${schema}.orders) + (SELECT count(*) FROM ${schema}.outbox) AS n`);
    expect(Number(rows[0]!.n)).toBe(2);
  });

  it('the relay publishes every row once, key = aggregate id, event id in a header, and marks them published', async () => {
    const {schema, topic} = await fresh();
    const placed = [];
    for (let i = 0; i < 40; i++) placed.push(await placeOrder(db, schema, order(i)));
    const relay = new PollingRelay({db, schema, conn: tb.conn, topic, name: 'relay-1', batchSize: 15});
    relays.push(relay);
    await relay.start();
    await until('the outbox to drain', async () => (await pending(schema)) === 0);
    const records = await kcatRecords(tb.bootstrap, topic);
    expect(records).toHaveLength(40);
    const byId = new Map(records.map((r) => [r.headers.id, r]));
    for (const e of placed) {
      const r = byId.get(e.id)!;
      expect(r.key).toBe(e.aggregateId);
      expect(r.headers.eventType).toBe('OrderPlaced');
      expect(JSON.parse(r.value)).toEqual(e.payload);
    }
  });

  it('a relay crash between publish and mark publishes the batch again; the consumer drops the copies by event id', async () => {
    const {schema, topic} = await fresh();
    for (let i = 0; i < 30; i++) await placeOrder(db, schema, order(i));
    const events = new EventStream<RelayEvent>();
    const seen: RelayEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const relay = new PollingRelay({db, schema, conn: tb.conn, topic, name: 'relay-1', batchSize: 10, events, faults: {crashAfterPublish: (batch) => batch === 2}});
    relays.push(relay);
    await relay.start();
    await until('the outbox to drain', async () => (await pending(schema)) === 0);
    expect(seen.filter((e) => e.type === 'relay-crashed').map((e) => e.type === 'relay-crashed' && e.events)).toEqual([10]);
    const records = await readTopic(tb.conn, topic);
    expect(records).toHaveLength(40);
    const consumer = new DedupConsumer();
    const applied: string[] = [];
    for (const r of records) consumer.offer(r, (id) => applied.push(id));
    expect({applied: consumer.applied, duplicates: consumer.duplicates, withoutId: consumer.withoutId}).toEqual({applied: 30, duplicates: 10, withoutId: 0});
    expect(new Set(applied).size).toBe(30);
  });

  it('while the broker is unreachable the rows wait in the outbox; once it is back every one is published', async () => {
    const {schema, topic} = await fresh();
    const proxy = await startFaultProxy({target: tb.bootstrap, seed: 1});
    try {
      const events = new EventStream<RelayEvent>();
      let failures = 0;
      events.subscribe((e) => (failures += e.type === 'relay-publish-failed' ? 1 : 0));
      const relay = new PollingRelay({db, schema, conn: {...tb.conn, brokers: [proxy.bootstrap]}, topic, name: 'relay-1', events, retryBackoffMs: 100});
      relays.push(relay);
      await relay.start();
      proxy.setPlan({cutProbability: 1});
      proxy.cutAll();
      for (let i = 0; i < 20; i++) await placeOrder(db, schema, order(i));
      await until('a failed publish', async () => failures > 0);
      expect(await pending(schema)).toBe(20);
      proxy.setPlan({});
      await until('the outbox to drain', async () => (await pending(schema)) === 0);
      const copies = copiesBy(await kcatRecords(tb.bootstrap, topic), (r) => r.headers.id);
      expect(copies.size).toBe(20);
    } finally {
      await Promise.all(relays.splice(0).map((r) => r.stop()));
      await proxy.close();
    }
  });

  it('two relays on one PGlite take turns: every event once, each aggregate in order', async () => {
    const {schema, topic} = await fresh();
    // 10 aggregates, 6 events each, interleaved.
    const written: Array<{id: string; aggregateId: string}> = [];
    for (let k = 0; k < 6; k++) {
      for (let a = 0; a < 10; a++) {
        const e = {...orderPlaced(order(a)), eventType: `Step${k}`, payload: {step: k}};
        await db.transaction((tx) => appendToOutbox(tx, schema, e));
        written.push(e);
      }
    }
    for (const name of ['relay-1', 'relay-2']) {
      const relay = new PollingRelay({db, schema, conn: tb.conn, topic, name, batchSize: 7});
      relays.push(relay);
      await relay.start();
    }
    await until('the outbox to drain', async () => (await pending(schema)) === 0);
    const records = await kcatRecords(tb.bootstrap, topic);
    expect([...copiesBy(records, (r) => r.headers.id).values()].every((c) => c === 1)).toBe(true);
    expect(records).toHaveLength(60);
    for (let a = 0; a < 10; a++) {
      const steps = records.filter((r) => r.key === `o-${a}`).sort((x, y) => x.offset - y.offset).map((r) => r.headers.eventType);
      expect(steps).toEqual(['Step0', 'Step1', 'Step2', 'Step3', 'Step4', 'Step5']);
    }
  });

  it('format change: on PGlite, polling gives the same Debezium change events as logical replication on a server', async () => {
    const {schema, topic} = await fresh();
    const placed = await placeOrder(db, schema, order(7));
    const relay = new PollingRelay({db, schema, conn: tb.conn, topic, name: 'relay-1', format: 'change'});
    relays.push(relay);
    await relay.start();
    await until('the outbox to drain', async () => (await pending(schema)) === 0);
    const [record] = await kcatRecords(tb.bootstrap, topic);
    const event = JSON.parse(record!.value) as ChangeEvent;
    expect(record!.key).toBe('o-7');
    expect(record!.headers.id).toBe(placed.id);
    expect(event).toMatchObject({op: 'c', before: null, after: {id: placed.id, aggregate_id: 'o-7', event_type: 'OrderPlaced', payload: placed.payload, published_at: null}});
    expect(event.source).toMatchObject({connector: 'postgresql', name: 'kpat-poll', db: 'postgres', schema, table: 'outbox', lsn: null, snapshot: 'false'});
    expect(event.source.txId).toBeGreaterThan(0);
    expect(Object.keys(event.after!)).not.toContain('tx_id');
  });

  it('keeps its data in a directory when given one', async () => {
    const dir = tempDir('kpat-pglite-');
    const first = await openDatabase({dataDir: dir});
    await migrate(first, 'app');
    await placeOrder(first, 'app', order(1));
    await first.close();
    const again = await openDatabase({dataDir: dir});
    const rows = await again.query<{n: string}>('SELECT count(*) AS n FROM app.outbox');
    await again.close();
    expect(Number(rows[0]!.n)).toBe(1);
  }, 180_000);
});
