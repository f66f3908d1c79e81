import {Kafka, logLevel, type Consumer} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {committedByPartition} from '../helpers/groups.js';
import {kcat} from '../helpers/kcat.js';
import {pythonTransactions} from '../helpers/python-transactions.js';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

/** A transactional confluent-kafka-python scenario against the broker under test. */
const python = (mode: string, topic: string, txid: string, onLine?: (line: string, stdin: NodeJS.WritableStream) => void) =>
  pythonTransactions(tb.bootstrap, mode, topic, txid, onLine);

const values = (out: string) => out.trimEnd().split('\n').filter((l) => l !== '');
const kafkaFor = (bootstrap: string, clientId: string) => new Kafka({brokers: [bootstrap], clientId, logLevel: logLevel.NOTHING, retry: {retries: 3}});

/** kcat reading partition 0 from the start to the end it sees (the LSO when reading committed). */
const kcatRead = (bootstrap: string, topic: string, isolation: 'read_committed' | 'read_uncommitted' = 'read_committed') =>
  kcat(['-b', bootstrap, '-t', topic, '-C', '-e', '-q', '-X', `isolation.level=${isolation}`, '-f', '%s\\n']).then(values);

/** A kafkajs group consumer (read_committed unless told) collecting values until `last` arrives. */
async function kafkajsReadUntil(bootstrap: string, topic: string, last: string, readUncommitted = false): Promise<string[]> {
  const consumer: Consumer = kafkaFor(bootstrap, 'txn-reader').consumer({groupId: `reader-${topic}-${readUncommitted}`, readUncommitted, maxWaitTimeInMs: 100});
  const seen: string[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({topic, fromBeginning: true});
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({message}) => {
          const value = message.value?.toString() ?? '';
          seen.push(value);
          if (value === last) resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('transactions from confluent-kafka-python (librdkafka)', () => {
  it('an aborted transaction is invisible to read_committed readers, a committed one visible', async () => {
    await tb.broker.ctx.topics.create('txn.abort-commit', 1, {});
    const run = await python('abort-then-commit', 'txn.abort-commit', 'tx-abort-commit');
    expect(run.report.errors).toEqual([]);
    expect(run.code).toBe(0);

    const committed = await kcat(['-b', tb.bootstrap, '-t', 'txn.abort-commit', '-C', '-e', '-q', '-f', '%s\\n']);
    expect(values(committed)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    const all = await kcat(['-b', tb.bootstrap, '-t', 'txn.abort-commit', '-C', '-e', '-q', '-X', 'isolation.level=read_uncommitted', '-f', '%s\\n']);
    expect(values(all)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'c0', 'c1', 'c2', 'c3', 'c4']);
    // Ten records and two markers, one offset each.
    const watermarks = await kcat(['-b', tb.bootstrap, '-Q', '-t', 'txn.abort-commit:0:-1']);
    expect(watermarks.trim()).toBe('txn.abort-commit [0] offset 12');
    expect(await kafkajsReadUntil(tb.bootstrap, 'txn.abort-commit', 'c4')).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(await kafkajsReadUntil(tb.bootstrap, 'txn.abort-commit', 'c4', true)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'c0', 'c1', 'c2', 'c3', 'c4']);
  });

  it('an open transaction holds read_committed readers back at its first offset until it commits', async () => {
    await tb.broker.ctx.topics.create('txn.open', 1, {});
    await kcat(['-b', tb.bootstrap, '-t', 'txn.open', '-P'], 'before\n');
    let seenWhileOpen: {committed: string[]; uncommitted: string[]; lso: string} | null = null;
    const run = await python('hold-open', 'txn.open', 'tx-open', (line, stdin) => {
      if (line !== 'open') return;
      void (async () => {
        seenWhileOpen = {
          committed: await kcatRead(tb.bootstrap, 'txn.open'),
          uncommitted: await kcatRead(tb.bootstrap, 'txn.open', 'read_uncommitted'),
          lso: (await kcat(['-b', tb.bootstrap, '-Q', '-t', 'txn.open:0:-1'])).trim(),
        };
        stdin.write('commit\n');
      })();
    });
    expect(run.report.errors).toEqual([]);
    expect(seenWhileOpen).toEqual({committed: ['before'], uncommitted: ['before', 'o0', 'o1', 'o2'], lso: 'txn.open [0] offset 1'});
    expect(await kcatRead(tb.bootstrap, 'txn.open')).toEqual(['before', 'o0', 'o1', 'o2']);
  });

  it('a second producer with the same transactional id aborts the first one\'s transaction; the first cannot commit', async () => {
    await tb.broker.ctx.topics.create('txn.fenced', 1, {});
    const run = await python('fenced', 'txn.fenced', 'tx-fenced');
    expect(run.report.errors).toEqual([]);
    expect(run.report.firstCommitted).toBe(false);
    expect(await kcatRead(tb.bootstrap, 'txn.fenced')).toEqual(['s0']);
    expect(await kcatRead(tb.bootstrap, 'txn.fenced', 'read_uncommitted')).toEqual(['f0', 'f1', 's0']);
  });
});

describe('kafkajs consume-transform-produce', () => {
  it('with sendOffsets and one abort in the middle: each input once in the output, the group committed at the end', async () => {
    const kafka = kafkaFor(tb.bootstrap, 'ctp');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({topics: [{topic: 'ctp.in'}, {topic: 'ctp.out'}]});
    const plain = kafka.producer();
    await plain.connect();
    await plain.send({topic: 'ctp.in', messages: Array.from({length: 10}, (_, i) => ({value: `in-${i}`}))});
    await plain.disconnect();

    const producer = kafka.producer({transactionalId: 'ctp-tx', idempotent: true, maxInFlightRequests: 1});
    await producer.connect();
    const consumer = kafka.consumer({groupId: 'ctp-group', maxWaitTimeInMs: 100});
    await consumer.connect();
    await consumer.subscribe({topic: 'ctp.in', fromBeginning: true});
    let aborted = false;
    await new Promise<void>((resolve, reject) => {
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({topic, partition, message}) => {
          try {
            for (;;) {
              const txn = await producer.transaction();
              await txn.send({topic: 'ctp.out', messages: [{value: `out-${message.value?.toString() ?? ''}`}]});
              await txn.sendOffsets({consumerGroupId: 'ctp-group', topics: [{topic, partitions: [{partition, offset: String(Number(message.offset) + 1)}]}]});
              if (message.offset === '5' && !aborted) {
                aborted = true;
                await txn.abort();
                continue; // the same input again, in a new transaction
              }
              await txn.commit();
              break;
            }
            if (message.offset === '9') resolve();
          } catch (e) {
            reject(e as Error);
          }
        },
      });
    });
    await consumer.disconnect();
    await producer.disconnect();

    const expected = Array.from({length: 10}, (_, i) => `out-in-${i}`);
    expect(await kcatRead(tb.bootstrap, 'ctp.out')).toEqual(expected);
    expect(await kafkajsReadUntil(tb.bootstrap, 'ctp.out', 'out-in-9')).toEqual(expected);
    expect(await kcatRead(tb.bootstrap, 'ctp.out', 'read_uncommitted')).toEqual([...expected.slice(0, 6), 'out-in-5', ...expected.slice(6)]);
    expect(await committedByPartition(admin, 'ctp-group', 'ctp.in')).toEqual([10]);
    await admin.disconnect();
  });
});

describe('transactions across a restart', () => {
  it('aborted and committed transactions read the same after a restart; a transaction left open is aborted on start', async () => {
    const dataDir = tempDir();
    let broker = await startTestBroker({dataDir});
    try {
      const kafka = kafkaFor(broker.bootstrap, 'restart');
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({topics: [{topic: 'txn.restart'}]});
      await admin.disconnect();
      const producer = kafka.producer({transactionalId: 'restart-tx', idempotent: true, maxInFlightRequests: 1});
      await producer.connect();
      const aborted = await producer.transaction();
      await aborted.send({topic: 'txn.restart', messages: [{value: 'a0'}, {value: 'a1'}]});
      await aborted.abort();
      const committed = await producer.transaction();
      await committed.send({topic: 'txn.restart', messages: [{value: 'c0'}]});
      await committed.commit();
      const open = await producer.transaction();
      await open.send({topic: 'txn.restart', messages: [{value: 'open0'}]});
      expect(await kcatRead(broker.bootstrap, 'txn.restart')).toEqual(['c0']);
      await producer.disconnect();
      await broker.stop();

      broker = await startTestBroker({dataDir});
      expect(broker.logs.join('\n')).toMatch(/restart-tx: aborting the transaction left open/);
      expect(await kcatRead(broker.bootstrap, 'txn.restart')).toEqual(['c0']);
      expect(await kcatRead(broker.bootstrap, 'txn.restart', 'read_uncommitted')).toEqual(['a0', 'a1', 'c0', 'open0']);
      // a0 a1 abort c0 commit open0 abort: nothing is held back any more.
      expect((await kcat(['-b', broker.bootstrap, '-Q', '-t', 'txn.restart:0:-1'])).trim()).toBe('txn.restart [0] offset 7');
      expect(broker.broker.ctx.txns.describe('restart-tx')).toMatchObject({state: 'CompleteAbort', epoch: 1});
    } finally {
      await broker.stop();
    }
  });
});
