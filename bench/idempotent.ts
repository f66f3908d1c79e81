/**
 * The price of idempotence: the same produce load with and without an idempotent producer, with
 * kcat (librdkafka, enable.idempotence, 5 requests in flight on both sides) and kafkajs (idempotent: true, one request in flight on
 * both sides so only idempotence differs), plus the broker's own append path in-process (a
 * partition log with and without the producer-state check), which isolates the broker's share
 * from the clients'. Each pair runs alternately, `rounds` times; the median counts.
 *
 * From run.ts: `printFigures('idempotent produce', await idempotentOverhead(broker.bootstrap))`, and
 * `producerStateNsPerBatch()` for the broker's own per-batch cost in nanoseconds.
 * Alone: `npm run build && node dist/bench/idempotent.js` (spawns its own brokers, both fsync modes).
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import kafkajs from 'kafkajs';
import {DEFAULT_LOG_CONFIG, PartitionLog} from '../src/broker/log/index.js';
import {encodeRecordBatch, readBatchHeader} from '../src/broker/protocol/record-batch.js';
import {PartitionProducers} from '../src/broker/txn/producer-state.js';
import {printFigures, spawnBroker, timed, type Figure} from './harness.js';

const {Kafka, logLevel} = kafkajs;

export interface IdempotentBenchOptions {
  rounds?: number;
  kcatRecords?: number;
  kafkajsRecords?: number;
  appendBatches?: number;
}

/** Figures in pairs (plain, idempotent) per client; `overhead` compares a pair. */
export async function idempotentOverhead(bootstrap: string, options: IdempotentBenchOptions = {}): Promise<Figure[]> {
  const rounds = options.rounds ?? 3;
  const kcatRecords = options.kcatRecords ?? 200_000;
  const kafkajsRecords = options.kafkajsRecords ?? 100_000;
  const appendBatches = options.appendBatches ?? 30_000;
  const figures: Figure[] = [];
  let topicNo = 0;
  const nextTopic = (what: string) => `bench.idem.${what}.${topicNo++}`;

  figures.push(
    ...(await pair(rounds, (idempotent) => kcatProduce(bootstrap, nextTopic('kcat'), kcatRecords, idempotent), 'kcat produce 100 B acks=all, 5 in flight', kcatRecords, 100)),
  );
  figures.push(
    ...(await pair(rounds, (idempotent) => kafkajsProduce(bootstrap, nextTopic('kafkajs'), kafkajsRecords, idempotent), 'kafkajs produce 100 B acks=all, 1 in flight', kafkajsRecords, 100)),
  );
  figures.push(...(await pair(rounds, (idempotent) => brokerAppend(appendBatches, idempotent), 'broker append path, 10 x 100 B batches', appendBatches * 10, 100)));
  return figures;
}

/**
 * Nanoseconds the producer-state check and record add to each appended batch, on their own:
 * far steadier than the end-to-end pairs on a busy machine, and comparable to the append path.
 */
export function producerStateNsPerBatch(batches = 2_000_000): number {
  const state = new PartitionProducers();
  const batch = {producerId: 7, producerEpoch: 0, baseSequence: 0, lastOffsetDelta: 9};
  const start = performance.now();
  for (let i = 0; i < batches; i++) {
    batch.baseSequence = (i * 10) % 2_000_000_000;
    if (state.check(batch, 0).kind !== 'append') throw new Error(`batch ${i} was not appendable`);
    state.record(batch, i * 10);
  }
  return ((performance.now() - start) * 1e6) / batches;
}

/** (idempotent - plain) / plain in time, as a percentage: the cost of idempotence. */
export function overhead(plain: Figure, idempotent: Figure): number {
  return ((idempotent.seconds - plain.seconds) / plain.seconds) * 100;
}

async function pair(rounds: number, once: (idempotent: boolean) => Promise<number>, name: string, records: number, size: number): Promise<Figure[]> {
  const times: Record<'plain' | 'idempotent', number[]> = {plain: [], idempotent: []};
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first so a warming JIT or page cache favours neither.
    const order = r % 2 === 0 ? [false, true] : [true, false];
    for (const idempotent of order) times[idempotent ? 'idempotent' : 'plain'].push(await once(idempotent));
  }
  return (['plain', 'idempotent'] as const).map((kind) => ({name: `${name} ${kind}`, records, bytes: records * size, seconds: median(times[kind])}));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function createTopic(bootstrap: string, topic: string): Promise<void> {
  const admin = new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING}).admin();
  await admin.connect();
  await admin.createTopics({topics: [{topic, numPartitions: 1}]});
  await admin.disconnect();
}

async function kcatProduce(bootstrap: string, topic: string, count: number, idempotent: boolean): Promise<number> {
  await createTopic(bootstrap, topic);
  const input = Buffer.alloc(count * 101, 'y');
  for (let i = 100; i < input.length; i += 101) input[i] = 0x0a;
  // librdkafka caps an idempotent producer at 5 requests in flight: the plain one gets the same cap.
  const args = ['-b', bootstrap, '-t', topic, '-P', '-X', 'acks=all', '-X', 'linger.ms=5', '-X', 'max.in.flight=5', '-X', `enable.idempotence=${idempotent}`];
  const {seconds} = await timed(
    () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn('kcat', args, {stdio: ['pipe', 'ignore', 'pipe']});
        let err = '';
        child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
        child.on('close', (code) => (code === 0 && err === '' ? resolve() : reject(new Error(`kcat exited ${code}: ${err}`))));
        child.stdin.end(input);
      }),
  );
  return seconds;
}

async function kafkajsProduce(bootstrap: string, topic: string, count: number, idempotent: boolean): Promise<number> {
  await createTopic(bootstrap, topic);
  const producer = new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING}).producer({idempotent, maxInFlightRequests: 1});
  await producer.connect();
  const value = Buffer.alloc(100, 'x');
  const perSend = 1000;
  const {seconds} = await timed(async () => {
    for (let sent = 0; sent < count; sent += perSend) {
      await producer.send({topic, acks: -1, messages: Array.from({length: Math.min(perSend, count - sent)}, (_, i) => ({key: String(i % 64), value}))});
    }
  });
  await producer.disconnect();
  return seconds;
}

/** Appends to a partition log in this process, as Produce does, with and without the producer check. */
async function brokerAppend(batches: number, idempotent: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kpat-bench-idem-'));
  const log = await PartitionLog.open(dir, {...DEFAULT_LOG_CONFIG, fsync: 'never'}, () => {});
  const records = Array.from({length: 10}, () => ({value: Buffer.alloc(100, 'z')}));
  const state = new PartitionProducers();
  // Encoded up front: the client's work is not the broker's cost.
  const encoded = Array.from({length: batches}, (_, b) =>
    encodeRecordBatch({records, producerId: idempotent ? 7 : -1, producerEpoch: idempotent ? 0 : -1, baseSequence: idempotent ? b * 10 : -1}),
  );
  try {
    const {seconds} = await timed(async () => {
      const now = Date.now();
      for (const bytes of encoded) {
        // Produce reads the header of every batch (to count them), idempotent or not.
        const header = readBatchHeader(bytes, 0);
        if (!idempotent) {
          log.append(bytes, now);
          continue;
        }
        const verdict = state.check(header, log.logStartOffset);
        if (verdict.kind !== 'append') throw new Error(`unexpected verdict ${verdict.kind}`);
        state.record(header, log.append(bytes, now).baseOffset);
      }
    });
    return seconds;
  } finally {
    await log.close();
    rmSync(dir, {recursive: true, force: true});
  }
}

/** The `idempotent` section of `npm run bench`: plain beside idempotent produce, per client and in the broker. */
export async function idempotentSection(): Promise<void> {
  for (const fsync of ['always', 'never'] as const) {
    const broker = await spawnBroker({fsync});
    try {
      const figures = await idempotentOverhead(broker.bootstrap);
      printFigures(`idempotent produce (broker fsync=${fsync}, median of 3)`, figures);
      for (let i = 0; i < figures.length; i += 2) {
        console.log(`  ${figures[i]!.name.replace(/ plain$/, '')}: idempotence costs ${overhead(figures[i]!, figures[i + 1]!).toFixed(1)} % in time`);
      }
      const append = figures[figures.length - 2]!;
      const ns = producerStateNsPerBatch();
      const appendNs = (append.seconds * 1e9) / (append.records / 10);
      console.log(`  producer-state check + record: ${ns.toFixed(0)} ns per batch, ${((ns / appendNs) * 100).toFixed(1)} % of a plain append (${appendNs.toFixed(0)} ns)`);
    } finally {
      await broker.stop();
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  idempotentSection().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
