/**
 * `npm run bench`: produce and consume throughput against the embedded broker
 * with kafkajs and with kcat, for 100-byte and 10 KB records, and the time from
 * `kpat up` to the first accepted produce; idempotent beside plain produce; the
 * log cleaner's rate; the exactly-once pipelines; each pattern's overhead; the window pattern's
 * records/s; Avro against JSON+zod encode/decode; the schema-evolution scenario end to end; large
 * payloads inline vs through the claim check's blob stores. Produce with the metrics endpoint on vs off; the outbox relays.
 * Figures only; nothing is asserted.
 */
import {spawn} from 'node:child_process';
import kafkajs from 'kafkajs';
import {readPartitions} from '../src/kafka/partition-reader.js';
import {printFigures, repeated, spawnBroker, timed, type Figure} from './harness.js';
import {patternOverhead, printPatternFigures} from './patterns.js';
import {printStartup, startupFigures} from './startup.js';
import {idempotentSection} from './idempotent.js';
import {cleanerSection} from './cleaner.js';
import {transactionsSection} from './transactions.js';
import {windowSection} from './window.js';
import {eosSection} from './exactly-once.js';
import {serdeSection} from './serde.js';
import {evolutionSection} from './schema-evolution.js';
import {claimCheckSection} from './claim-check.js';
import {metricsSection} from './metrics.js';
import {outboxSection} from './outbox.js';

const {Kafka, logLevel} = kafkajs;

const CASES = [
  {label: '100 B', size: 100, count: 200_000, perSend: 1000},
  {label: '10 KB', size: 10_240, count: 20_000, perSend: 50},
];
const PARTITIONS = 3;
const CONCURRENCY = 4;

async function createTopic(bootstrap: string, topic: string): Promise<void> {
  const admin = new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING}).admin();
  await admin.connect();
  await admin.createTopics({topics: [{topic, numPartitions: PARTITIONS}]});
  await admin.disconnect();
}

async function kafkajsProduce(bootstrap: string, topic: string, size: number, count: number, perSend: number): Promise<Figure> {
  await createTopic(bootstrap, topic);
  const kafka = new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING});
  const producer = kafka.producer();
  await producer.connect();
  const value = Buffer.alloc(size, 'x');
  let sent = 0;
  const {seconds} = await timed(async () => {
    const worker = async () => {
      while (sent < count) {
        const n = Math.min(perSend, count - sent);
        sent += n;
        await producer.send({topic, acks: -1, messages: Array.from({length: n}, (_, i) => ({key: String(i % 64), value}))});
      }
    };
    await Promise.all(Array.from({length: CONCURRENCY}, worker));
  });
  await producer.disconnect();
  return {name: `kafkajs produce ${size === 100 ? '100 B' : '10 KB'} acks=all`, records: count, bytes: count * size, seconds};
}

async function kafkajsConsume(bootstrap: string, topic: string, size: number, count: number): Promise<Figure> {
  const conn = {brokers: [bootstrap], source: 'flag' as const, clientId: 'bench'};
  let n = 0;
  const {seconds} = await timed(async () => {
    for await (const _ of readPartitions(conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true, partitionMaxBytes: 4 << 20})) n++;
  });
  if (n !== count) throw new Error(`consumed ${n} of ${count}`);
  return {name: `kafkajs consume ${size === 100 ? '100 B' : '10 KB'}`, records: n, bytes: n * size, seconds};
}

function run(cmd: string, args: string[], input?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {stdio: ['pipe', 'pipe', 'pipe']});
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err}`))));
    child.stdin.end(input);
  });
}

async function kcatProduce(bootstrap: string, topic: string, size: number, count: number): Promise<Figure> {
  const line = Buffer.alloc(size, 'y');
  const input = Buffer.concat(Array.from({length: count}, () => Buffer.concat([line, Buffer.from('\n')])));
  await createTopic(bootstrap, topic);
  const result = await timed(() => run('kcat', ['-b', bootstrap, '-t', topic, '-P', '-X', 'acks=all', '-X', 'linger.ms=5'], input));
  return {name: `kcat produce ${size === 100 ? '100 B' : '10 KB'} acks=all`, records: count, bytes: count * size, seconds: result.seconds};
}

async function kcatConsume(bootstrap: string, topic: string, size: number, count: number): Promise<Figure> {
  const {seconds, value} = await timed(() => run('kcat', ['-b', bootstrap, '-t', topic, '-C', '-e', '-q', '-o', 'beginning', '-f', '%o\\n']));
  const n = value.trim().split('\n').length;
  if (n !== count) throw new Error(`kcat consumed ${n} of ${count}`);
  return {name: `kcat consume ${size === 100 ? '100 B' : '10 KB'}`, records: n, bytes: n * size, seconds};
}

async function throughput(): Promise<void> {
  const haveKcat = await run('sh', ['-c', 'command -v kcat']).then(
    () => true,
    () => false,
  );
  for (const fsync of ['always', 'never'] as const) {
    const broker = await spawnBroker({fsync});
    const figures: Figure[] = [];
    try {
      // Each figure is the median of runs adding up to at least 2 s; consumers read what the
      // last produce run wrote.
      for (const c of CASES) {
        const topic = (round: number) => `bench.kafkajs.${c.size}.${fsync}.${round}`;
        let last = '';
        figures.push(await repeated((r) => kafkajsProduce(broker.bootstrap, (last = topic(r)), c.size, c.count, c.perSend)));
        figures.push(await repeated(() => kafkajsConsume(broker.bootstrap, last, c.size, c.count)));
        if (haveKcat) {
          const kt = (round: number) => `bench.kcat.${c.size}.${fsync}.${round}`;
          figures.push(await repeated((r) => kcatProduce(broker.bootstrap, (last = kt(r)), c.size, c.count)));
          figures.push(await repeated(() => kcatConsume(broker.bootstrap, last, c.size, c.count)));
        }
      }
    } finally {
      await broker.stop();
    }
    printFigures(`embedded broker, fsync=${fsync} (${PARTITIONS} partitions, ${CONCURRENCY} concurrent kafkajs sends)`, figures);
  }
  if (!haveKcat) console.log('\n(kcat not installed: its rows are missing — apt-get install kcat)');
}

async function patterns(): Promise<void> {
  const broker = await spawnBroker({fsync: 'always'});
  try {
    printPatternFigures(await patternOverhead(broker.bootstrap));
  } finally {
    await broker.stop();
  }
}

async function startup(): Promise<void> {
  printStartup(await startupFigures());
}

const SECTIONS = {throughput, idempotent: idempotentSection, transactions: transactionsSection, 'exactly-once': eosSection, cleaner: cleanerSection, patterns, window: windowSection, serde: serdeSection, evolution: evolutionSection, 'claim-check': claimCheckSection, metrics: metricsSection, outbox: outboxSection, startup};

/** `npm run bench` runs every section; `npm run bench -- startup patterns` only those. */
async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(a in SECTIONS));
  if (unknown.length > 0) throw new Error(`unknown bench section ${unknown.join(', ')}; sections: ${Object.keys(SECTIONS).join(', ')}`);
  for (const [name, section] of Object.entries(SECTIONS)) if (asked.length === 0 || asked.includes(name)) await section();
}

await main();
