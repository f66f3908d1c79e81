/**
 * The window pattern's throughput: records per second through WindowAggregation
 * (read, group, aggregate, close, commit) with its changelog on — every commit
 * a transaction carrying the store's changes, the stream-time checkpoints and the
 * input offsets. Timed from the aggregation's start (after connecting and an
 * empty restore) to the end of the input (--until-end), so the last commit counts.
 * Records are 50-byte JSON values over 10,000 keys, written beforehand; event time
 * advances 1 ms every 50 records, so a 1 s window sees each key about 5 times.
 * Beside them: reading the same records alone, through the path the pattern reads
 * with (readRecordBatches: kpat's own fetch decoding, a batch at a time), and the CPU
 * time per record in this process (the broker runs in its own), which says more than
 * wall time on a busy machine.
 *
 * From run.ts: the `window` section. Alone: `npm run build && node dist/bench/window.js`.
 */
import {pathToFileURL} from 'node:url';
import {EventStream} from '../src/core/event-stream.js';
import type {Connection} from '../src/kafka/connection.js';
import {Publisher} from '../src/kafka/publisher.js';
import {ensureTopics} from '../src/kafka/topics.js';
import {readRecordBatches} from '../src/kafka/partition-reader.js';
import {count} from '../src/patterns/window/aggregations.js';
import type {WindowEvent} from '../src/patterns/window/events.js';
import {WindowAggregation} from '../src/patterns/window/window-aggregation.js';
import type {WindowSpec} from '../src/patterns/window/windows.js';
import {printFigures, repeated, spawnBroker, type Figure} from './harness.js';

const RECORDS = 100_000;
const KEYS = 10_000;
const PARTITIONS = 3;
const VALUE_BYTES = 50;
const TOPIC = 'bench.window';

async function writeInput(conn: Connection): Promise<void> {
  await ensureTopics(conn, [{name: TOPIC, partitions: PARTITIONS}]);
  const publisher = await Publisher.connect(conn, 'bench');
  const start = 1_700_000_000_000;
  const value = JSON.stringify({note: 'x'.repeat(VALUE_BYTES - 11)});
  try {
    for (let i = 0; i < RECORDS; i += 5000) {
      await publisher.send(Array.from({length: Math.min(5000, RECORDS - i)}, (_, j) => ({topic: TOPIC, key: `key-${(i + j) % KEYS}`, value, timestamp: start + Math.floor((i + j) / 50)})));
    }
  } finally {
    await publisher.close();
  }
}

const cpuMicros = () => {
  const {user, system} = process.cpuUsage();
  return user + system;
};

/** CPU µs per record of the last timed run of each case, for the note under the table. */
const cpuPerRecord = new Map<string, number[]>();

function noteCpu(name: string, cpu: number): void {
  cpuPerRecord.set(name, [...(cpuPerRecord.get(name) ?? []), cpu / RECORDS]);
}

async function aggregateOnce(conn: Connection, name: string, windows: WindowSpec, round: number, cacheMaxBytes?: number): Promise<Figure> {
  const events = new EventStream<WindowEvent>();
  let started = 0;
  let cpu = 0;
  let results = 0;
  events.subscribe((e) => {
    if (e.type === 'window-started') {
      started = performance.now();
      cpu = cpuMicros();
    }
    if (e.type === 'window-result') results++;
  });
  const aggregation = new WindowAggregation({conn, topic: TOPIC, windows, aggregation: count, emit: 'final', appId: `bench-window-${Date.now()}-${round}`, fromBeginning: true, untilEnd: true, cacheMaxBytes, events});
  const summary = await aggregation.run();
  const seconds = (performance.now() - started) / 1000;
  noteCpu(name, cpuMicros() - cpu);
  if (summary.records !== RECORDS) throw new Error(`aggregated ${summary.records} of ${RECORDS} records`);
  if (results === 0) throw new Error('no window closed');
  return {name, records: RECORDS, bytes: RECORDS * VALUE_BYTES, seconds};
}

async function readOnce(conn: Connection, name: string): Promise<Figure> {
  const started = performance.now();
  const cpu = cpuMicros();
  let n = 0;
  for await (const batch of readRecordBatches(conn, {topic: TOPIC, start: {kind: 'earliest'}, stopAtEnd: true, partitionMaxBytes: 4 << 20})) n += batch.length;
  const seconds = (performance.now() - started) / 1000;
  noteCpu(name, cpuMicros() - cpu);
  if (n !== RECORDS) throw new Error(`read ${n} of ${RECORDS} records`);
  return {name, records: n, bytes: n * VALUE_BYTES, seconds};
}

export async function windowFigures(bootstrap: string): Promise<Figure[]> {
  const conn: Connection = {brokers: [bootstrap], source: 'flag', clientId: 'bench'};
  await writeInput(conn);
  const tumbling: WindowSpec = {kind: 'tumbling', sizeMs: 1000, graceMs: 0};
  const cases: Array<{name: string; windows: WindowSpec; cacheMaxBytes?: number}> = [
    {name: 'tumbling 1s count, 10k keys, changelog on', windows: tumbling},
    {name: 'tumbling 1s count, 10k keys, changelog on, no record cache', windows: tumbling, cacheMaxBytes: 0},
    {name: 'hopping 5s every 1s count, 10k keys, changelog on', windows: {kind: 'hopping', sizeMs: 5000, advanceMs: 1000, graceMs: 0}},
  ];
  const figures: Figure[] = [await repeated(() => readOnce(conn, READ_ONLY))];
  for (const c of cases) figures.push(await repeated((round) => aggregateOnce(conn, c.name, c.windows, round, c.cacheMaxBytes)));
  return figures;
}

const READ_ONLY = 'read only (no aggregation), for comparison';

export async function windowSection(): Promise<void> {
  const broker = await spawnBroker({fsync: 'always'});
  try {
    const figures = await windowFigures(broker.bootstrap);
    printFigures(`window pattern (${RECORDS.toLocaleString('en-US')} records, ${PARTITIONS} partitions, emit final, exactly-once commits every 100 ms, 10 MiB record cache unless said; embedded broker, fsync=always)`, figures);
    // Against reading alone in the same run: the machine's load cancels out of the ratio.
    const read = figures.find((f) => f.name === READ_ONLY)!;
    for (const f of figures) {
      if (f !== read) console.log(`  ${f.name}: ${Math.round(f.records / f.seconds).toLocaleString('en-US')} records/s = ${(read.seconds / f.seconds).toFixed(2)} × the read-only rate`);
    }
    for (const [name, cpu] of cpuPerRecord) {
      const us = cpu.sort((a, b) => a - b)[cpu.length >> 1]!;
      console.log(`  ${name}: ${us.toFixed(1)} µs CPU per record in this process (median) ≈ ${Math.round(1e6 / us).toLocaleString('en-US')} records per CPU-second`);
    }
  } finally {
    await broker.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await windowSection();
