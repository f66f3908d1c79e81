import {Kafka, logLevel} from 'kafkajs';
import {afterEach, describe, expect, it} from 'vitest';
import {iterateBatches} from '../../src/broker/protocol/record-batch.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {kcat} from '../helpers/kcat.js';
import {pythonTransactions} from '../helpers/python-transactions.js';

const TOPIC = 'compacted.txns.v1';
const DELETE_RETENTION_MS = 1500;

let tb: TestBroker | null = null;
afterEach(async () => {
  await tb?.stop();
  tb = null;
});

const kafkaFor = (bootstrap: string) => new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: {retries: 3}});

/** confluent-kafka-python (librdkafka) as the transactional writer; its report is its last line. */
async function python(mode: string, bootstrap: string, txid: string): Promise<void> {
  const run = await pythonTransactions(bootstrap, mode, TOPIC, txid);
  expect(run.report.errors).toEqual([]);
  expect(run.code).toBe(0);
}

/** `offset key value` lines kcat reads from the start to the end it sees (-e must finish). */
async function kcatRead(bootstrap: string, isolation: 'read_committed' | 'read_uncommitted', extra: string[] = []): Promise<string[]> {
  const out = await kcat(['-b', bootstrap, '-t', TOPIC, '-C', '-e', '-q', '-X', `isolation.level=${isolation}`, ...extra, '-f', '%o %k %s\\n']);
  return out.split('\n').filter((line) => line !== '');
}

/** A kafkajs group consumer reading committed records until it has seen `lastOffset`. */
async function kafkajsRead(bootstrap: string, lastOffset: number, maxBytesPerPartition?: number): Promise<string[]> {
  const consumer = kafkaFor(bootstrap).consumer({groupId: `reader-${Date.now()}`, maxWaitTimeInMs: 100, maxBytesPerPartition});
  const seen: string[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({topic: TOPIC, fromBeginning: true});
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({message}) => {
          seen.push(`${message.offset} ${message.key?.toString()} ${message.value?.toString()}`);
          if (Number(message.offset) >= lastOffset) resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** [baseOffset, control, record count] of every batch in the partition's log. */
function batchesInLog(broker: TestBroker): Array<[offset: number, control: boolean, records: number]> {
  const log = broker.broker.ctx.topics.partition(TOPIC, 0)!;
  return [...iterateBatches(log.read(log.logStartOffset, 1 << 24))].map(({header}) => [header.baseOffset, header.isControl, header.recordCount]);
}

async function createCompacted(broker: TestBroker): Promise<void> {
  const admin = kafkaFor(broker.bootstrap).admin();
  await admin.connect();
  const configs = {
    'cleanup.policy': 'compact',
    'segment.bytes': '1024',
    'segment.ms': '200',
    'min.cleanable.dirty.ratio': '0.01',
    'min.compaction.lag.ms': '0',
    'delete.retention.ms': String(DELETE_RETENTION_MS),
  };
  await admin.createTopics({topics: [{topic: TOPIC, configEntries: Object.entries(configs).map(([name, value]) => ({name, value}))}]});
  await admin.disconnect();
}

describe('log compaction of transactional data', () => {
  it('drops aborted records and, after delete.retention.ms, markers without data; committed readers agree', async () => {
    // The cleaner runs when this test says so (runOnce, the timer's own entry point).
    tb = await startTestBroker({logCleanerIntervalMs: 3_600_000});
    await createCompacted(tb);
    const kafka = kafkaFor(tb.bootstrap);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({topic: TOPIC, acks: -1, messages: Array.from({length: 8}, (_, k) => ({key: `k${k}`, value: 'v0'}))});
    // Twice: aborted a0..a4 on k0..k4, then committed c0..c4 on k3..k7. k0..k2's newest records are aborted.
    await python('keyed-abort-then-commit', tb.bootstrap, 'cleaner-txn');
    await python('keyed-abort-then-commit', tb.bootstrap, 'cleaner-txn');
    // kafkajs transactions too: an aborted one (k8 only there), then a committed one.
    const txProducer = kafka.producer({transactionalId: 'cleaner-kafkajs', idempotent: true, maxInFlightRequests: 1});
    await txProducer.connect();
    const aborted = await txProducer.transaction();
    await aborted.send({topic: TOPIC, messages: [{key: 'k8', value: 'aborted-kafkajs'}]});
    await aborted.abort();
    const committed = await txProducer.transaction();
    await committed.send({topic: TOPIC, messages: [{key: 'k9', value: 'committed-kafkajs'}]});
    await committed.commit();
    await txProducer.disconnect();
    for (let i = 0; i < 20; i++) await producer.send({topic: TOPIC, acks: -1, messages: [{key: 'filler', value: `f${i}`.padEnd(100, '.')}]});
    await producer.send({topic: TOPIC, acks: -1, messages: [{key: 'last', value: 'last'}]});
    await producer.disconnect();

    const before = await kcatRead(tb.bootstrap, 'read_uncommitted');
    const offsetOf = (key: string, value: string) => before.filter((l) => l.split(' ')[1] === key && l.split(' ')[2]!.startsWith(value)).map((l) => l.split(' ')[0]);
    const newest = (key: string, value: string) => `${offsetOf(key, value).at(-1)} ${key} ${value}`;
    expect(before.filter((l) => / a\d$/.test(l))).toHaveLength(10);
    const committedNow = await kcatRead(tb.bootstrap, 'read_committed');
    const expected = [
      ...['k0', 'k1', 'k2'].map((k) => newest(k, 'v0')),
      ...[3, 4, 5, 6, 7].map((k) => newest(`k${k}`, `c${k - 3}`)),
      newest('k9', 'committed-kafkajs'),
      committedNow.filter((l) => l.includes(' filler ')).at(-1)!,
      newest('last', 'last'),
    ].sort((a, b) => Number(a.split(' ')[0]) - Number(b.split(' ')[0]));
    const markersBefore = batchesInLog(tb).filter(([, control]) => control);
    expect(markersBefore).toHaveLength(6);

    await new Promise((r) => setTimeout(r, 250)); // past segment.ms: the pass rolls the active segment
    await tb.broker.ctx.topics.cleaner.runOnce();
    const uncommitted = await kcatRead(tb.bootstrap, 'read_uncommitted');
    expect(uncommitted).toEqual(expected); // no aborted record, each key's latest committed value at its offset
    expect(await kcatRead(tb.bootstrap, 'read_committed')).toEqual(expected);
    const lastOffset = Number(expected.at(-1)!.split(' ')[0]);
    expect(await kafkajsRead(tb.bootstrap, lastOffset)).toEqual(expected);

    // Markers whose transactions have no data left go once delete.retention.ms has passed;
    // the commit markers of the transactions whose records are still there stay.
    await new Promise((r) => setTimeout(r, DELETE_RETENTION_MS));
    await tb.broker.ctx.topics.cleaner.runOnce();
    await tb.broker.ctx.topics.cleaner.runOnce();
    const markersAfter = batchesInLog(tb).filter(([, control]) => control);
    const firstLive = (value: string) => Number(expected.find((l) => l.includes(value))!.split(' ')[0]);
    expect(markersAfter.map(([offset]) => offset)).toEqual(
      markersBefore.map(([offset]) => offset).filter((offset) => offset === firstLive(' c4') + 1 || offset === firstLive('committed-kafkajs') + 1),
    );
    expect(tb.broker.ctx.producers.forLog(tb.broker.ctx.topics.partition(TOPIC, 0)!).txns.describe().aborted).toEqual([]);
    expect(await kcatRead(tb.bootstrap, 'read_uncommitted')).toEqual(expected);
    expect(await kcatRead(tb.bootstrap, 'read_committed')).toEqual(expected);
    expect(await kafkajsRead(tb.bootstrap, lastOffset)).toEqual(expected);
  }, 120_000);
});

describe('reading past batches the cleaner emptied', () => {
  it('kcat and kafkajs advance past the empty header kept for a producer\'s last sequence, one batch per fetch', async () => {
    tb = await startTestBroker({logCleanerIntervalMs: 3_600_000});
    await createCompacted(tb);
    const kafka = kafkaFor(tb.bootstrap);
    const idempotent = kafka.producer({idempotent: true, maxInFlightRequests: 1});
    await idempotent.connect();
    await idempotent.send({topic: TOPIC, acks: -1, messages: [{key: 'a', value: 'old'}]}); // 0: its last batch
    await idempotent.disconnect();
    const txProducer = kafka.producer({transactionalId: 'cleaner-empty', idempotent: true, maxInFlightRequests: 1});
    await txProducer.connect();
    const aborted = await txProducer.transaction();
    await aborted.send({topic: TOPIC, messages: [{key: 'b', value: 'aborted'}]}); // 1: its last batch, aborted
    await aborted.abort(); // 2
    await txProducer.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({topic: TOPIC, acks: -1, messages: [{key: 'a', value: 'new'}]}); // 3
    for (let i = 0; i < 20; i++) await producer.send({topic: TOPIC, acks: -1, messages: [{key: 'filler', value: `f${i}`.padEnd(100, '.')}]});
    await producer.send({topic: TOPIC, acks: -1, messages: [{key: 'last', value: 'last'}]});
    await producer.disconnect();
    await new Promise((r) => setTimeout(r, 250));
    await tb.broker.ctx.topics.cleaner.runOnce();

    // Both emptied batches keep their headers (each holds its producer's last sequence).
    expect(batchesInLog(tb).slice(0, 4)).toEqual([[0, false, 0], [1, false, 0], [2, true, 1], [3, false, 1]]);
    const expected = ['3 a new', `23 filler ${'f19'.padEnd(100, '.')}`, '24 last last'];
    for (const isolation of ['read_committed', 'read_uncommitted'] as const) {
      expect(await kcatRead(tb.bootstrap, isolation)).toEqual(expected);
      // One batch per fetch: the first answer holds nothing but an empty batch.
      expect(await kcatRead(tb.bootstrap, isolation, ['-X', 'fetch.message.max.bytes=1', '-X', 'fetch.max.bytes=1000', '-X', 'message.max.bytes=1000'])).toEqual(expected);
    }
    expect(await kafkajsRead(tb.bootstrap, 24)).toEqual(expected);
    expect(await kafkajsRead(tb.bootstrap, 24, 1)).toEqual(expected);
  }, 60_000);
});
