/**
 * The cost of the broker's metrics: kafkajs produce throughput against a broker serving
 * /metrics (scraped every 5 s, as the compose Prometheus does) and one without, in the
 * same run, rounds alternating so both meet the same machine. fsync=never keeps the broker
 * CPU-bound, where the per-request observer costs the most; small sends put the most requests
 * through it per record. Throughput on a shared machine is noisy, so the broker's own CPU time
 * per record (from /proc, Linux) is printed beside it: it moves far less with the machine's load.
 */
import {readFileSync} from 'node:fs';
import kafkajs from 'kafkajs';
import {median, spawnBroker, timed, type BenchBroker} from './harness.js';

const {Kafka, logLevel} = kafkajs;
const ROUNDS = 7;
const SCRAPE_EVERY_MS = 5000;
const CASES = [
  {label: '100 B, 1000 per send', size: 100, count: 200_000, perSend: 1000},
  {label: '100 B, 10 per send', size: 100, count: 30_000, perSend: 10},
];

/** CPU seconds (user + system) the process has used, or NaN off Linux. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime and stime, in USER_HZ (100 on Linux)
  } catch {
    return NaN;
  }
}

interface Round {
  /** Records per second. */
  rate: number;
  /** The broker's CPU microseconds per record. */
  cpuUs: number;
}

async function produce(broker: BenchBroker, topic: string, c: (typeof CASES)[number]): Promise<Round> {
  const bootstrap = broker.bootstrap;
  const kafka = new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING});
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({topics: [{topic, numPartitions: 3}]});
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const value = Buffer.alloc(c.size, 'x');
  let sent = 0;
  const cpuBefore = cpuSeconds(broker.pid);
  const {seconds} = await timed(async () => {
    const worker = async () => {
      while (sent < c.count) {
        const n = Math.min(c.perSend, c.count - sent);
        sent += n;
        await producer.send({topic, acks: -1, messages: Array.from({length: n}, (_, i) => ({key: String(i % 64), value}))});
      }
    };
    await Promise.all(Array.from({length: 4}, worker));
  });
  const cpu = cpuSeconds(broker.pid) - cpuBefore;
  await producer.disconnect();
  return {rate: c.count / seconds, cpuUs: (cpu * 1e6) / c.count};
}

/** Scrapes the endpoint every SCRAPE_EVERY_MS until stopped, as Prometheus would. */
function scraper(url: string): () => Promise<number> {
  let scrapes = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const res = await fetch(url);
      await res.text();
      scrapes++;
      await new Promise((r) => setTimeout(r, SCRAPE_EVERY_MS));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return scrapes;
  };
}

export async function metricsSection(): Promise<void> {
  const off: BenchBroker = await spawnBroker({fsync: 'never'});
  const on: BenchBroker = await spawnBroker({fsync: 'never', args: ['--metrics-port', '0']});
  console.log(`\nmetrics cost: kafkajs produce acks=all, fsync=never, broker with /metrics (scraped every ${SCRAPE_EVERY_MS / 1000} s) vs without`);
  try {
    const stopScraping = scraper(on.metricsUrl!);
    for (const c of CASES) {
      const rounds: {on: Round[]; off: Round[]} = {on: [], off: []};
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate which goes first, so neither always meets a warmer or busier machine.
        const order = r % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
        for (const which of order) rounds[which].push(await produce(which === 'on' ? on : off, `bench.metrics.${c.perSend}.${r}`, c));
      }
      const rate = {off: median(rounds.off.map((x) => x.rate)), on: median(rounds.on.map((x) => x.rate))};
      const cpu = {off: median(rounds.off.map((x) => x.cpuUs)), on: median(rounds.on.map((x) => x.cpuUs))};
      const n = (v: number) => Math.round(v).toLocaleString('en-US').padStart(9);
      console.log(`${c.label} (medians of ${ROUNDS} rounds each; target: ≤ 3 % cost)`);
      console.log(`  throughput  off ${n(rate.off)} rec/s   on ${n(rate.on)} rec/s   on/off ${(rate.on / rate.off).toFixed(3)}   cost ${((1 - rate.on / rate.off) * 100).toFixed(1)} %`);
      console.log(`  broker CPU  off ${cpu.off.toFixed(2).padStart(9)} µs/rec  on ${cpu.on.toFixed(2).padStart(9)} µs/rec  on/off ${(cpu.on / cpu.off).toFixed(3)}   cost ${((cpu.on / cpu.off - 1) * 100).toFixed(1)} %`);
    }
    const scrapes = await stopScraping();
    // What one scrape costs the broker, with every topic the rounds created.
    const before = cpuSeconds(on.pid);
    for (let i = 0; i < 50; i++) await (await fetch(on.metricsUrl!)).text();
    console.log(`(${scrapes} scrapes during the run; one scrape costs the broker ${(((cpuSeconds(on.pid) - before) * 1000) / 50).toFixed(1)} ms of CPU)`);
  } finally {
    await Promise.all([on.stop(), off.stop()]);
  }
}
