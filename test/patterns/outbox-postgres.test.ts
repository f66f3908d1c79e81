import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {EventStream} from '../../src/core/event-stream.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import type {ChangeEvent} from '../../src/patterns/outbox/change-event.js';
import type {OutboxDatabase} from '../../src/patterns/outbox/database.js';
import {DedupConsumer} from '../../src/patterns/outbox/dedup-consumer.js';
import type {RelayEvent} from '../../src/patterns/outbox/events.js';
import {LogicalRelay} from '../../src/patterns/outbox/logical-relay.js';
import {openDatabase} from '../../src/patterns/outbox/open-database.js';
import {appendToOutbox, orderPlaced, placeOrder} from '../../src/patterns/outbox/orders.js';
import {PollingRelay} from '../../src/patterns/outbox/polling-relay.js';
import {migrate} from '../../src/patterns/outbox/schema.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {copiesBy, kcatRecords} from '../helpers/outbox.js';
import {startTestPostgres, type TestPostgres} from '../helpers/postgres.js';
import {readTopic} from '../helpers/read-topic.js';

let tb: TestBroker;
let pgs: TestPostgres;
let db: OutboxDatabase;
beforeAll(async () => {
  [tb, pgs] = await Promise.all([startTestBroker(), startTestPostgres()]);
  db = await openDatabase({url: pgs.url});
}, 60_000);
afterAll(async () => {
  await db?.close();
  await pgs?.stop();
  await tb?.stop();
});

const order = (i: number) => ({id: `o-${i}`, customer: `c-${i % 5}`, amount: 10 + i});

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('outbox on a PostgreSQL server', () => {
  it('three relays side by side never publish the same row twice (FOR UPDATE SKIP LOCKED), and keep each aggregate in order', async () => {
    const schema = 'relays';
    const topic = 'orders.outbox.relays';
    await migrate(db, schema);
    await ensureTopics(tb.conn, [{name: topic, partitions: 3}]);
    const relays = ['relay-1', 'relay-2', 'relay-3'].map((name) => new PollingRelay({db, schema, conn: tb.conn, topic, name, batchSize: 5, pollIntervalMs: 5}));
    await Promise.all(relays.map((r) => r.start()));
    // Written while the relays run: 40 aggregates, 5 events each, interleaved.
    for (let k = 0; k < 5; k++) {
      await Promise.all(Array.from({length: 40}, (_, a) => db.transaction((tx) => appendToOutbox(tx, schema, {...orderPlaced(order(a)), eventType: `Step${k}`, payload: {step: k}}))));
    }
    await until('the outbox to drain', async () => Number((await db.query<{n: string}>(`SELECT count(*) AS n FROM ${schema}.outbox WHERE published_at IS NULL`))[0]!.n) === 0);
    await Promise.all(relays.map((r) => r.stop()));

    const records = await kcatRecords(tb.bootstrap, topic);
    const copies = copiesBy(records, (r) => r.headers.id);
    expect(copies.size).toBe(200);
    expect([...copies.values()].filter((c) => c > 1)).toEqual([]);
    expect(records).toHaveLength(200);
    // The work was really shared: more than one relay published.
    expect(relays.map((r) => r.published).reduce((a, b) => a + b)).toBe(200);
    expect(relays.filter((r) => r.published > 0).length).toBeGreaterThan(1);
    for (let a = 0; a < 40; a++) {
      const steps = records.filter((r) => r.key === `o-${a}`).sort((x, y) => x.offset - y.offset).map((r) => r.headers.eventType);
      expect(steps).toEqual(['Step0', 'Step1', 'Step2', 'Step3', 'Step4']);
    }
  });

  it('change data capture over logical replication: Debezium change events (c, u, d) keyed by primary key, read by kcat', async () => {
    const schema = 'cdc';
    await migrate(db, schema);
    const topicOf = (t: {schema: string; table: string}) => `cdc.${t.schema}.${t.table}`;
    await ensureTopics(tb.conn, [{name: 'cdc.cdc.orders', partitions: 2}, {name: 'cdc.cdc.outbox', partitions: 2}]);
    const relay = new LogicalRelay({url: pgs.url, tables: [{schema, table: 'orders'}, {schema, table: 'outbox'}], slot: 'kpat_test_cdc', publication: 'kpat_test_cdc', conn: tb.conn, topicOf, name: 'cdc-1'});
    await relay.start();
    try {
      const placed = await placeOrder(db, schema, order(1));
      await db.query(`UPDATE ${schema}.orders SET status = 'paid' WHERE id = 'o-1'`);
      await db.query(`DELETE FROM ${schema}.orders WHERE id = 'o-1'`);
      await until('4 change events', () => relay.published >= 4);

      const orders = await kcatRecords(tb.bootstrap, 'cdc.cdc.orders');
      const values = orders.sort((a, b) => a.offset - b.offset).map((r) => JSON.parse(r.value) as ChangeEvent);
      expect(values.map((v) => v.op)).toEqual(['c', 'u', 'd']);
      expect(orders.every((r) => r.key === '{"id":"o-1"}')).toBe(true);
      expect(values[0]).toMatchObject({before: null, after: {id: 'o-1', status: 'placed', customer: 'c-1'}});
      expect(values[1]).toMatchObject({after: {id: 'o-1', status: 'paid'}});
      // Default replica identity: a delete carries the key columns only.
      expect(values[2]).toMatchObject({before: {id: 'o-1'}, after: null});
      for (const v of values) {
        expect(v.source).toMatchObject({connector: 'postgresql', name: 'kpat-logical', db: 'postgres', schema, table: 'orders', snapshot: 'false'});
        expect(v.source.lsn).toBeGreaterThan(0);
        expect(v.source.txId).toBeGreaterThan(0);
        expect(v.ts_ms).toBeGreaterThan(0);
      }
      // Three transactions, in order.
      expect(values[0]!.source.txId).toBeLessThan(values[1]!.source.txId!);
      expect(values[1]!.source.lsn).toBeLessThan(values[2]!.source.lsn!);

      const outbox = await kcatRecords(tb.bootstrap, 'cdc.cdc.outbox');
      expect(outbox).toHaveLength(1);
      const event = JSON.parse(outbox[0]!.value) as ChangeEvent;
      expect(outbox[0]!.key).toBe(JSON.stringify({id: placed.id}));
      expect(event).toMatchObject({op: 'c', after: {id: placed.id, aggregate_id: 'o-1', event_type: 'OrderPlaced', payload: placed.payload}});
      // The order and its outbox row: one transaction.
      expect(event.source.txId).toBe(values[0]!.source.txId);
    } finally {
      await relay.stop();
      await LogicalRelay.drop({url: pgs.url, slot: 'kpat_test_cdc', publication: 'kpat_test_cdc'});
    }
  });

  it('a relay crash after publishing and before acknowledging the LSN: the slot streams the transaction again, the consumer drops the copy', async () => {
    const schema = 'cdccrash';
    await migrate(db, schema);
    const topic = 'cdc.crash.outbox';
    await ensureTopics(tb.conn, [{name: topic, partitions: 1}]);
    const events = new EventStream<RelayEvent>();
    const seen: RelayEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const opts = {url: pgs.url, tables: [{schema, table: 'outbox'}], slot: 'kpat_test_crash', publication: 'kpat_test_crash', conn: tb.conn, topicOf: () => topic, name: 'cdc-1'};
    const relay = new LogicalRelay({...opts, events, faults: {crashAfterPublish: (batch) => batch === 3}});
    await relay.start();
    try {
      const placed = [];
      for (let i = 0; i < 6; i++) placed.push(await placeOrder(db, schema, order(i)));
      await until('6 events acknowledged', () => relay.published >= 6);
      expect(seen.filter((e) => e.type === 'relay-crashed')).toHaveLength(1);
      const records = await readTopic(tb.conn, topic);
      expect(records).toHaveLength(7);
      const consumer = new DedupConsumer();
      for (const r of records) consumer.offer(r);
      expect({applied: consumer.applied, duplicates: consumer.duplicates}).toEqual({applied: 6, duplicates: 1});
      // Acknowledged: a relay started now streams nothing old again.
      await relay.stop();
      const again = new LogicalRelay(opts);
      await again.start();
      await new Promise((r) => setTimeout(r, 1000));
      await again.stop();
      expect(again.published).toBe(0);
    } finally {
      await relay.stop();
      await LogicalRelay.drop({url: pgs.url, slot: 'kpat_test_crash', publication: 'kpat_test_crash'});
    }
  });
});
