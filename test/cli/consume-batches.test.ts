import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {BatchHeader} from '../../src/kafka/batch-headers.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {kcat} from '../helpers/kcat.js';
import {pythonTransactions} from '../helpers/python-transactions.js';

/** A `--batches --output json` line: the header, tagged as a batch. */
type Batch = BatchHeader & {type: string};

let tb: TestBroker;
const home = tempDir('kpat-consume-batches-');
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

const cli = (...args: string[]) => runCli([...args, '--brokers', tb.bootstrap], {env: {KPAT_HOME: home, KPAT_BROKERS: ''}});
const batchesOf = async (...args: string[]): Promise<Batch[]> => {
  const res = await cli('consume', ...args, '--batches', '--from-beginning', '--exit', '--output', 'json');
  expect(res.stderr).not.toMatch(/error/i);
  expect(res.code).toBe(0);
  return res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Batch);
};

/** Each data batch continues the sequence where the one before ended: what the broker checks for an idempotent producer. */
function expectContiguousSequences(data: Batch[]): void {
  expect(data[0]!.baseSequence).toBe(0);
  for (let i = 1; i < data.length; i++) expect(data[i]!.baseSequence).toBe(data[i - 1]!.lastSequence + 1);
  for (const b of data) expect(b.lastSequence - b.baseSequence).toBe(b.lastOffset - b.baseOffset);
}

describe('kpat consume --batches', () => {
  it('shows a librdkafka transactional producer at work: its id, epoch, sequences and the ABORT then COMMIT markers', async () => {
    await tb.broker.ctx.topics.create('batches.txn', 1, {});
    const run = await pythonTransactions(tb.bootstrap, 'abort-then-commit', 'batches.txn', 'tx-batches');
    expect(run.report.errors).toEqual([]);

    const batches = await batchesOf('batches.txn');
    expect(batches.every((b) => b.type === 'batch' && b.partition === 0)).toBe(true);
    const data = batches.filter((b) => !b.isControl);
    const markers = batches.filter((b) => b.isControl);
    // 5 aborted records, an ABORT marker at offset 5, 5 committed records, a COMMIT marker at 11.
    expect(markers.map((m) => [m.baseOffset, m.endTxnMarker])).toEqual([
      [5, 'ABORT'],
      [11, 'COMMIT'],
    ]);
    expect(data.reduce((n, b) => n + b.count, 0)).toBe(10);
    expect(data.every((b) => b.isTransactional)).toBe(true);
    const producer = data[0]!.producerId;
    expect(producer).toBeGreaterThanOrEqual(0);
    expect(batches.every((b) => b.producerId === producer && b.producerEpoch === data[0]!.producerEpoch)).toBe(true);
    expect(markers.every((m) => m.coordinatorEpoch !== null && m.count === 1)).toBe(true);
    expectContiguousSequences(data);
    // Read uncommitted, nothing says which data was aborted; the markers do.
    expect(data.every((b) => b.aborted === null)).toBe(true);

    const committed = (await batchesOf('batches.txn', '--isolation', 'read_committed')).filter((b) => !b.isControl);
    expect(committed.map((b) => [b.baseOffset < 5, b.aborted])).toEqual(committed.map((b) => [b.baseOffset < 5, b.baseOffset < 5]));
    expect(committed.some((b) => b.aborted === true) && committed.some((b) => b.aborted === false)).toBe(true);

    const plain = await cli('consume', 'batches.txn', '--batches', '--from-beginning', '--exit');
    expect(plain.stdout).toMatch(new RegExp(`partition 0 +offset 5 +ABORT marker +producer ${producer}`));
    expect(plain.stdout).toMatch(new RegExp(`partition 0 +offset 11 +COMMIT marker +producer ${producer}`));
    expect(plain.stdout).toMatch(/records +producer \d+ +epoch \d+ +sequence 0/);
    expect(plain.stderr).toMatch(new RegExp(`${batches.length} batches`));
  });

  it('shows kcat idempotent batches with one producer id and contiguous sequences, and a plain producer with none', async () => {
    const lines = Array.from({length: 300}, (_, i) => `v${i}`);
    await kcat(['-b', tb.bootstrap, '-t', 'batches.idem', '-P', '-X', 'enable.idempotence=true', '-X', 'linger.ms=5', '-X', 'batch.num.messages=40'], lines.join('\n') + '\n');
    const idem = await batchesOf('batches.idem');
    expect(idem.length).toBeGreaterThan(1);
    expect(idem.reduce((n, b) => n + b.count, 0)).toBe(300);
    expect(new Set(idem.map((b) => b.producerId)).size).toBe(1);
    expect(idem[0]!.producerId).toBeGreaterThanOrEqual(0);
    expect(idem.every((b) => !b.isTransactional && !b.isControl && b.producerEpoch === 0)).toBe(true);
    expectContiguousSequences(idem);

    const kafka = new Kafka({brokers: [tb.bootstrap], clientId: 'batches-plain', logLevel: logLevel.NOTHING});
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({topic: 'batches.plain', messages: [{value: 'a'}, {value: 'b'}]});
    await producer.disconnect();
    const plain = await batchesOf('batches.plain');
    expect(plain).toEqual([expect.objectContaining({baseOffset: 0, lastOffset: 1, count: 2, producerId: -1, isTransactional: false})]);
    const text = await cli('consume', 'batches.plain', '--batches', '--from-beginning', '--exit');
    expect(text.stdout).toMatch(/offsets 0-1 +2 records +no producer id/);
  });

  it('refuses --batches with --group, and an unknown isolation level, with exit 2', async () => {
    const withGroup = await cli('consume', 'batches.plain', '--batches', '--group', 'g');
    expect(withGroup.code).toBe(2);
    expect(withGroup.stderr).toMatch(/--batches|--group/);
    const badIsolation = await cli('consume', 'batches.plain', '--isolation', 'dirty');
    expect(badIsolation.code).toBe(2);
    expect(badIsolation.stderr).toMatch(/read_committed/);
  });
});
