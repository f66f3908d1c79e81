/**
 * What exactly-once costs: the transactional pipeline's throughput as a share of the
 * at-least-once pipeline's, on the same input in the same run, at a few transaction
 * sizes (input records per commit). Both are the exactly-once processor of
 * src/patterns/exactly-once, with no faults and no proxy: one instance, three partitions.
 *
 * From run.ts: the `exactly-once` section. Alone: `npm run build && node dist/bench/exactly-once.js`.
 */
import {pathToFileURL} from 'node:url';
import kafkajs from 'kafkajs';
import {EventStream} from '../src/core/event-stream.js';
import type {Connection} from '../src/kafka/connection.js';
import type {ProcessingMode, ProcessorEvent} from '../src/patterns/exactly-once/events.js';
import {createProcessor} from '../src/patterns/exactly-once/processor.js';
import {printFigures, spawnBroker, timed, type Figure} from './harness.js';

const {Kafka, logLevel} = kafkajs;
const PARTITIONS = 3;
const RECORDS = 20_000;
const SIZES = [10, 100, 1000];

async function writeInput(bootstrap: string, topic: string, outputs: string[]): Promise<void> {
  const kafka = new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING});
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({topics: [topic, ...outputs].map((t) => ({topic: t, numPartitions: PARTITIONS}))});
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < RECORDS; i += 1000) {
    const messages = Array.from({length: 1000}, (_, k) => ({partition: (i + k) % PARTITIONS, key: `p-${i + k}`, value: JSON.stringify({paymentId: `p-${i + k}`, amount: 10})}));
    await producer.send({topic, acks: -1, messages});
  }
  await producer.disconnect();
}

/** Seconds for one processor to transform the whole input and commit to its end. */
async function drain(conn: Connection, mode: ProcessingMode, input: string, output: string, size: number): Promise<number> {
  const events = new EventStream<ProcessorEvent>();
  let done = 0;
  let finished!: () => void;
  const all = new Promise<void>((resolve) => (finished = resolve));
  events.subscribe((e) => {
    if (e.type !== 'transaction-committed') return;
    done += e.records;
    if (done >= RECORDS) finished();
  });
  const processor = createProcessor({
    mode,
    conn,
    inputTopic: input,
    group: `bench.eos.${mode}.${size}.${Date.now()}`,
    transactionalIdPrefix: `bench-eos-${size}-${Date.now()}`,
    maxRecordsPerTransaction: size,
    events,
    transform: (r) => [{topic: output, key: r.key, value: r.value}],
  });
  const run = await timed(async () => {
    await processor.start();
    await all;
  });
  await processor.stop();
  return run.seconds;
}

export async function eosFigures(bootstrap: string): Promise<{figures: Figure[]; ratios: string[]}> {
  const conn: Connection = {brokers: [bootstrap], source: 'flag', clientId: 'kpat-bench'};
  const figures: Figure[] = [];
  const ratios: string[] = [];
  for (const size of SIZES) {
    const input = `bench.eos.in.${size}.${Date.now()}`;
    const outputs = {alo: `${input}.alo`, txn: `${input}.txn`};
    await writeInput(bootstrap, input, Object.values(outputs));
    const alo = await drain(conn, 'at-least-once', input, outputs.alo, size);
    const txn = await drain(conn, 'transactional', input, outputs.txn, size);
    figures.push({name: `at-least-once, ${size} records per commit`, records: RECORDS, bytes: 0, seconds: alo});
    figures.push({name: `transactional, ${size} records per transaction`, records: RECORDS, bytes: 0, seconds: txn});
    ratios.push(`${String(size).padStart(5)} records per commit: transactional at ${((alo / txn) * 100).toFixed(0)}% of at-least-once throughput`);
  }
  return {figures, ratios};
}

/** The `exactly-once` section of `npm run bench`. */
export async function eosSection(): Promise<void> {
  const broker = await spawnBroker({fsync: 'always'});
  try {
    const {figures, ratios} = await eosFigures(broker.bootstrap);
    printFigures(`exactly-once pipelines (broker fsync=always, ${RECORDS.toLocaleString('en-US')} inputs on ${PARTITIONS} partitions, one instance)`, figures);
    for (const line of ratios) console.log(line);
  } finally {
    await broker.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  eosSection().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
