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
import {timed, type Figure} from './harness.js';

const {Kafka, logLevel} = kafkajs;
const Value = z.object({id: z.number(), note: z.string()});

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

/**
 * Consumer throughput with the dead-letter and retry-ladder wrappers (decode,
 * zod validation, commit after each record is handled) against a bare kafkajs
 * consumer on the same records: the price of the patterns.
 */
export async function patternOverhead(bootstrap: string, count = 50_000): Promise<Figure[]> {
  const conn: Connection = {brokers: [bootstrap], source: 'flag', clientId: 'bench'};
  const topic = 'bench.patterns';
  await ensureTopics(conn, [topic, `${topic}.dlt`, ...rungsFor(topic, [1000, 5000]).map((r) => r.topic)].map((name) => ({name, partitions: 3})));
  const publisher = await Publisher.connect(conn, 'bench');
  for (let i = 0; i < count; i += 1000) {
    await publisher.send(Array.from({length: Math.min(1000, count - i)}, (_, j) => ({topic, key: String((i + j) % 64), value: JSON.stringify({id: i + j, note: 'x'.repeat(60)})})));
  }
  const bytes = count * 80;
  const figures: Figure[] = [];

  // Bare kafkajs: eachMessage parses nothing, autocommit per batch.
  let n = 0;
  const bare = new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING}).consumer({groupId: 'bench-bare', maxWaitTimeInMs: 100});
  await bare.connect();
  await bare.subscribe({topic, fromBeginning: true});
  const bareRun = await timed(async () => {
    await bare.run({partitionsConsumedConcurrently: 3, eachMessage: async () => void n++});
    await until(() => n >= count);
  });
  await bare.disconnect();
  figures.push({name: 'bare kafkajs consumer', records: count, bytes, seconds: bareRun.seconds});

  const events = new EventStream<PatternEvent>();
  let handled = 0;
  events.subscribe((e) => {
    if (e.type === 'handled') handled++;
  });
  const handler = {schema: Value, handle: async () => {}};

  const dl = new RecordConsumer({conn, groupId: 'bench-dlt', topics: [topic], partitionsConcurrently: 3, handle: deadLetterHandler({...handler, group: 'bench-dlt', publisher, events})});
  const dlRun = await timed(async () => {
    await dl.start();
    await until(() => handled >= count);
  });
  await dl.stop();
  figures.push({name: 'dead-letter wrapper (JSON + zod)', records: count, bytes, seconds: dlRun.seconds});

  handled = 0;
  const ladder = new RetryLadder({...handler, conn, topic, group: 'bench-ladder', rungs: rungsFor(topic, [1000, 5000]), publisher, events});
  const ladderRun = await timed(async () => {
    await ladder.start();
    await until(() => handled >= count);
  });
  await ladder.stop();
  figures.push({name: 'retry ladder (+ DLT, 2 rungs)', records: count, bytes, seconds: ladderRun.seconds});
  await publisher.close();
  return figures;
}
