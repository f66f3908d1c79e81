import kafkajs from 'kafkajs';
import {z} from 'zod';
import type {Connection} from '../src/kafka/connection.js';
import {Publisher} from '../src/kafka/publisher.js';
import {RecordConsumer} from '../src/kafka/record-consumer.js';
import {ensureTopics} from '../src/kafka/topics.js';
import {deadLetterHandler} from '../src/patterns/dead-letter/dead-letter-handler.js';
import {EventStream} from '../src/core/event-stream.js';
import type {PatternEvent} from '../src/patterns/events.js';
import {RetryLadder} from '../src/patterns/retry-ladder/retry-ladder.js';
import {rungsFor} from '../src/patterns/retry-ladder/rungs.js';
import {median} from './harness.js';

const {Kafka, logLevel} = kafkajs;
const Value = z.object({id: z.number(), note: z.string()});
const TOPIC = 'bench.patterns';
const PARTITIONS = 3;
const RUNGS = rungsFor(TOPIC, [1000, 5000]);

function cpuMicros(): number {
  const {user, system} = process.cpuUsage();
  return user + system;
}

/**
 * Counts records as they are handled and keeps the time of the first and the
 * last: throughput from the first record to the last leaves out connecting and
 * joining the group, which no pattern changes.
 */
class Clock {
  count = 0;
  first = 0;
  last = 0;
  /** CPU time of this process (µs) at the first and the last record: the broker runs in its own. */
  firstCpu = 0;
  lastCpu = 0;
  private done!: () => void;
  readonly finished: Promise<void>;

  constructor(private readonly expected: number) {
    this.finished = new Promise((resolve) => (this.done = resolve));
  }

  tick(): void {
    const now = performance.now();
    if (this.count === 0) {
      this.first = now;
      this.firstCpu = cpuMicros();
    }
    this.last = now;
    if (++this.count === this.expected) {
      this.lastCpu = cpuMicros();
      this.done();
    }
  }

  /** Seconds per record, from the first to the last. */
  get secondsPerRecord(): number {
    return (this.last - this.first) / 1000 / (this.count - 1);
  }

  get cpuMicrosPerRecord(): number {
    return (this.lastCpu - this.firstCpu) / (this.count - 1);
  }
}

type Case = (conn: Connection, group: string, clock: Clock, publisher: Publisher) => Promise<() => Promise<void>>;

/** kafkajs alone: eachMessage parses nothing; offsets auto-committed per batch. */
const bare: Case = async (conn, group, clock) => {
  const consumer = new Kafka({brokers: conn.brokers, logLevel: logLevel.NOTHING}).consumer({groupId: group, maxWaitTimeInMs: 100});
  await consumer.connect();
  await consumer.subscribe({topic: TOPIC, fromBeginning: true});
  await consumer.run({partitionsConsumedConcurrently: PARTITIONS, eachMessage: async () => clock.tick()});
  return () => consumer.disconnect();
};

function handledEvents(clock: Clock): EventStream<PatternEvent> {
  const events = new EventStream<PatternEvent>();
  events.subscribe((e) => {
    if (e.type === 'handled') clock.tick();
  });
  return events;
}

const handler = {schema: Value, handle: async () => {}};

/** The dead-letter wrapper: JSON decode, zod validation, commit once handled. */
const deadLetter: Case = async (conn, group, clock, publisher) => {
  const events = handledEvents(clock);
  const consumer = new RecordConsumer({conn, groupId: group, topics: [TOPIC], partitionsConcurrently: PARTITIONS, handle: deadLetterHandler({...handler, group, publisher, events})});
  await consumer.start();
  return () => consumer.stop();
};

/** The retry ladder (two rungs and a DLT) on records that all succeed: its price on the happy path. */
const retryLadder: Case = async (conn, group, clock, publisher) => {
  const ladder = new RetryLadder({...handler, conn, topic: TOPIC, group, rungs: RUNGS, publisher, events: handledEvents(clock)});
  await ladder.start();
  return () => ladder.stop();
};

const CASES: Array<{name: string; run: Case}> = [
  {name: 'bare kafkajs consumer', run: bare},
  {name: 'dead-letter wrapper (JSON + zod)', run: deadLetter},
  {name: 'retry ladder (+ DLT, 2 rungs)', run: retryLadder},
];

export interface PatternFigures {
  records: number;
  repetitions: number;
  /** Per case and repetition: records per second (wall time) and CPU µs per record in this process. */
  cases: Array<{name: string; perSecond: number[]; cpuMicros: number[]}>;
}

/**
 * Consumer throughput of the pattern wrappers against a bare kafkajs consumer
 * on the same records. Each repetition reads the topic once per case, in a
 * rotating order, each with a fresh group; a wrapper's overhead is its time per
 * record over the bare consumer's in the same repetition, so a busy machine
 * slows both sides of a ratio alike. A first, untimed repetition warms the JIT
 * up; then it repeats until every case has been timed for `minSeconds` in total
 * (and at least `minRepetitions` times).
 */
export async function patternOverhead(bootstrap: string, opts: {records?: number; minSeconds?: number; minRepetitions?: number} = {}): Promise<PatternFigures> {
  const records = opts.records ?? 100_000;
  const conn: Connection = {brokers: [bootstrap], source: 'flag', clientId: 'bench'};
  await ensureTopics(conn, [TOPIC, `${TOPIC}.dlt`, ...RUNGS.map((r) => r.topic)].map((name) => ({name, partitions: PARTITIONS})));
  const publisher = await Publisher.connect(conn, 'bench');
  for (let i = 0; i < records; i += 1000) {
    await publisher.send(Array.from({length: Math.min(1000, records - i)}, (_, j) => ({topic: TOPIC, key: String((i + j) % 64), value: JSON.stringify({id: i + j, note: 'x'.repeat(60)})})));
  }
  const clocks = CASES.map(() => [] as Clock[]);
  const timed = (i: number) => clocks[i]!.reduce((sum, c) => sum + (c.last - c.first) / 1000, 0);
  const once = async (i: number, group: string) => {
    const clock = new Clock(records);
    const stop = await CASES[i]!.run(conn, group, clock, publisher);
    await clock.finished;
    await stop();
    return clock;
  };
  try {
    for (let i = 0; i < CASES.length; i++) await once(i, `bench-warm-up-${i}-${Date.now()}`);
    for (let rep = 0; rep < (opts.minRepetitions ?? 15) || CASES.some((_, i) => timed(i) < (opts.minSeconds ?? 2)); rep++) {
      for (let k = 0; k < CASES.length; k++) {
        const i = (rep + k) % CASES.length;
        clocks[i]!.push(await once(i, `bench-${i}-${rep}-${Date.now()}`));
      }
    }
  } finally {
    await publisher.close();
  }
  return {
    records,
    repetitions: clocks[0]!.length,
    cases: CASES.map((c, i) => ({
      name: c.name,
      perSecond: clocks[i]!.map((clock) => 1 / clock.secondsPerRecord),
      cpuMicros: clocks[i]!.map((clock) => clock.cpuMicrosPerRecord),
    })),
  };
}

const fixed = (v: number[], digits: number) => v.map((x) => x.toFixed(digits)).join(' ');

export function printPatternFigures(f: PatternFigures): void {
  console.log(`\nconsumer throughput: patterns vs a bare kafkajs consumer (fsync=always, ${PARTITIONS} partitions, ${f.records.toLocaleString('en-US')} records, ${f.repetitions} repetitions, first to last record)`);
  for (const c of f.cases) {
    const rate = Math.round(median(c.perSecond)).toLocaleString('en-US');
    console.log(`${c.name.padEnd(34)} ${rate.padStart(8)} records/s  ${median(c.cpuMicros).toFixed(2).padStart(6)} µs CPU/record  (medians)`);
  }
  const [bare, ...wrappers] = f.cases;
  for (const w of wrappers) {
    // Same repetition, same machine state: the ratio of two times measured side by side.
    const wall = w.perSecond.map((r, rep) => bare!.perSecond[rep]! / r);
    const cpu = w.cpuMicros.map((m, rep) => m / bare!.cpuMicros[rep]!);
    console.log(`${w.name}: ${median(wall).toFixed(2)}× the bare consumer's time, ${median(cpu).toFixed(2)}× its CPU (per repetition: time ${fixed(wall, 2)}; CPU ${fixed(cpu, 2)})`);
  }
}
