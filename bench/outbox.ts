/**
 * The outbox relays' throughput: events/s from outbox rows written beforehand
 * to events acknowledged by the broker — polling on PGlite (one relay, then two
 * taking turns), and on a PostgreSQL server (when its binaries are installed)
 * polling with one and three relays, and logical replication.
 *
 * From run.ts: the `outbox` section. Alone: `npm run build && node dist/bench/outbox.js`.
 */
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import type {Connection} from '../src/kafka/connection.js';
import {ensureTopics} from '../src/kafka/topics.js';
import type {OutboxDatabase} from '../src/patterns/outbox/database.js';
import {LogicalRelay} from '../src/patterns/outbox/logical-relay.js';
import {openDatabase} from '../src/patterns/outbox/open-database.js';
import {appendToOutbox, orderPlaced} from '../src/patterns/outbox/orders.js';
import {PollingRelay} from '../src/patterns/outbox/polling-relay.js';
import {migrate} from '../src/patterns/outbox/schema.js';
import {PG_BIN, startTestPostgres} from '../test/helpers/postgres.js';
import {printFigures, spawnBroker, timed, type Figure} from './harness.js';

const EVENTS = 5000;
const PARTITIONS = 3;
let round = 0;

/** EVENTS outbox rows over 500 aggregates, written 100 per transaction. */
async function fill(db: OutboxDatabase, schema: string): Promise<void> {
  for (let i = 0; i < EVENTS; i += 100) {
    await db.transaction(async (tx) => {
      for (let k = i; k < i + 100; k++) await appendToOutbox(tx, schema, orderPlaced({id: `o-${k % 500}`, customer: 'c', amount: k}));
    });
  }
}

async function until(done: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await done())) await new Promise((r) => setTimeout(r, 20));
}

async function polling(db: OutboxDatabase, conn: Connection, relays: number, label: string): Promise<Figure> {
  const schema = `bench${++round}`;
  const topic = `bench.outbox.${round}`;
  await migrate(db, schema);
  await ensureTopics(conn, [{name: topic, partitions: PARTITIONS}]);
  await fill(db, schema);
  const set = Array.from({length: relays}, (_, k) => new PollingRelay({db, schema, conn, topic, name: `relay-${k + 1}`}));
  const {seconds} = await timed(async () => {
    await Promise.all(set.map((r) => r.start()));
    await until(() => set.reduce((n, r) => n + r.published, 0) >= EVENTS);
  });
  await Promise.all(set.map((r) => r.stop()));
  return {name: `polling, ${label}, ${relays} relay${relays === 1 ? '' : 's'}`, records: EVENTS, bytes: 0, seconds};
}

async function logical(db: OutboxDatabase, url: string, conn: Connection): Promise<Figure> {
  const schema = `bench${++round}`;
  const topic = `bench.outbox.${round}`;
  await migrate(db, schema);
  await ensureTopics(conn, [{name: topic, partitions: PARTITIONS}]);
  const names = {url, slot: `bench_${round}`, publication: `bench_${round}`, tables: [{schema, table: 'outbox'}]};
  // The slot first: it keeps the rows' changes until the relay streams them.
  await LogicalRelay.prepare(names);
  await fill(db, schema);
  const relay = new LogicalRelay({...names, conn, topicOf: () => topic, name: 'cdc-1'});
  const {seconds} = await timed(async () => {
    await relay.start();
    await until(() => relay.published >= EVENTS);
  });
  await relay.stop();
  await LogicalRelay.drop(names);
  return {name: 'logical replication, PostgreSQL 15, 1 relay', records: EVENTS, bytes: 0, seconds};
}

export async function outboxSection(): Promise<void> {
  const broker = await spawnBroker({fsync: 'always'});
  const conn: Connection = {brokers: [broker.bootstrap], source: 'flag', clientId: 'bench'};
  const figures: Figure[] = [];
  try {
    const pglite = await openDatabase();
    try {
      figures.push(await polling(pglite, conn, 1, 'PGlite'));
      figures.push(await polling(pglite, conn, 2, 'PGlite'));
    } finally {
      await pglite.close();
    }
    if (existsSync(join(PG_BIN, 'postgres'))) {
      const server = await startTestPostgres();
      const db = await openDatabase({url: server.url});
      try {
        figures.push(await polling(db, conn, 1, 'PostgreSQL 15'));
        figures.push(await polling(db, conn, 3, 'PostgreSQL 15'));
        figures.push(await logical(db, server.url, conn));
      } finally {
        await db.close();
        await server.stop();
      }
    }
  } finally {
    await broker.stop();
  }
  printFigures(`outbox relays: ${EVENTS} events written beforehand, to acks=all on the embedded broker (fsync=always), idempotent producer, batches of up to 200 (records/s = events/s)`, figures);
  if (!existsSync(join(PG_BIN, 'postgres'))) console.log('\n(PostgreSQL server binaries not installed: its rows are missing — apt-get install postgresql)');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await outboxSection();
