/**
 * The price of transactions: kafkajs sends the same batches idempotently, then each batch in its
 * own transaction (AddPartitionsToTxn, Produce, EndTxn with a marker per partition), then
 * a kcat read_committed read of the transactional topic against a read_uncommitted one.
 *
 * From run.ts: `printFigures('transactions', await transactionFigures(broker.bootstrap))`.
 * Alone: `npm run build && node dist/bench/transactions.js` (spawns its own brokers, both fsync modes).
 */
import {spawn} from 'node:child_process';
import {pathToFileURL} from 'node:url';
import kafkajs from 'kafkajs';
import {printFigures, spawnBroker, timed, type Figure} from './harness.js';

const {Kafka, logLevel} = kafkajs;

export interface TransactionBenchOptions {
  /** Batches sent, each its own transaction in the transactional case. */
  batches?: number;
  recordsPerBatch?: number;
}

export async function transactionFigures(bootstrap: string, options: TransactionBenchOptions = {}): Promise<Figure[]> {
  const batches = options.batches ?? 500;
  const perBatch = options.recordsPerBatch ?? 100;
  const kafka = new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING});
  const admin = kafka.admin();
  await admin.connect();
  const suffix = Date.now();
  const idemTopic = `bench.txn.idem.${suffix}`;
  const txnTopic = `bench.txn.txn.${suffix}`;
  await admin.createTopics({topics: [{topic: idemTopic}, {topic: txnTopic}]});
  await admin.disconnect();
  const value = Buffer.alloc(100, 'x');
  const messages = Array.from({length: perBatch}, () => ({value}));
  const records = batches * perBatch;
  const figures: Figure[] = [];

  const idempotent = kafka.producer({idempotent: true, maxInFlightRequests: 1});
  await idempotent.connect();
  const idem = await timed(async () => {
    for (let b = 0; b < batches; b++) await idempotent.send({topic: idemTopic, acks: -1, messages});
  });
  await idempotent.disconnect();
  figures.push({name: `kafkajs idempotent, ${perBatch} x 100 B per send`, records, bytes: records * 100, seconds: idem.seconds});

  const transactional = kafka.producer({transactionalId: `bench-${suffix}`, idempotent: true, maxInFlightRequests: 1});
  await transactional.connect();
  const txn = await timed(async () => {
    for (let b = 0; b < batches; b++) {
      const t = await transactional.transaction();
      await t.send({topic: txnTopic, acks: -1, messages});
      await t.commit();
    }
  });
  await transactional.disconnect();
  figures.push({name: `kafkajs one transaction per send of ${perBatch} x 100 B`, records, bytes: records * 100, seconds: txn.seconds});

  for (const isolation of ['read_uncommitted', 'read_committed'] as const) {
    const read = await timed(() => kcatCount(bootstrap, txnTopic, isolation));
    if (read.value !== records) throw new Error(`kcat read ${read.value} records of ${txnTopic}, expected ${records}`);
    figures.push({name: `kcat ${isolation} of the transactional topic`, records, bytes: records * 100, seconds: read.seconds});
  }
  return figures;
}

function kcatCount(bootstrap: string, topic: string, isolation: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', ['-b', bootstrap, '-t', topic, '-C', '-e', '-q', '-X', `isolation.level=${isolation}`, '-f', '.\\n'], {stdio: ['ignore', 'pipe', 'pipe']});
    let lines = 0;
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      for (const byte of d) if (byte === 0x0a) lines++;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(lines) : reject(new Error(`kcat exited ${code}: ${err}`))));
  });
}

/** The `transactions` section of `npm run bench`: one transaction per send beside idempotent sends. */
export async function transactionsSection(): Promise<void> {
  for (const fsync of ['always', 'never'] as const) {
    const broker = await spawnBroker({fsync});
    try {
      printFigures(`transactions (broker fsync=${fsync})`, await transactionFigures(broker.bootstrap));
    } finally {
      await broker.stop();
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  transactionsSection().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
