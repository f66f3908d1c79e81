import kafkajs from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readPartitions} from '../../src/kafka/partition-reader.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';

const {Kafka, logLevel} = kafkajs;

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

/** Committed a1 a2, aborted b1 b2, committed c1: the log ends with a commit marker. */
async function writeTransactions(topic: string): Promise<void> {
  const kafka = new Kafka({brokers: [tb.bootstrap], clientId: 'txn-writer', logLevel: logLevel.NOTHING});
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({topics: [{topic, numPartitions: 1}]});
  await admin.disconnect();
  const producer = kafka.producer({transactionalId: `${topic}-writer`, idempotent: true, maxInFlightRequests: 1});
  await producer.connect();
  for (const [values, commit] of [[['a1', 'a2'], true], [['b1', 'b2'], false], [['c1'], true]] as const) {
    const txn = await producer.transaction();
    await txn.send({topic, messages: values.map((value) => ({key: value, value}))});
    await (commit ? txn.commit() : txn.abort());
  }
  await producer.disconnect();
}

describe('direct reads of a transactional topic (kpat consume, watch, scenario read-backs)', () => {
  it('show only committed records, skip the markers and stop at the end', async () => {
    await writeTransactions('txn.read');
    const values: string[] = [];
    for await (const r of readPartitions(tb.conn, {topic: 'txn.read', start: {kind: 'earliest'}, stopAtEnd: true})) values.push(r.value!.toString());
    expect(values).toEqual(['a1', 'a2', 'c1']);
  });

  it('kpat consume --exit prints the committed records and exits', async () => {
    await writeTransactions('txn.cli');
    const res = await runCli(['consume', 'txn.cli', '--from-beginning', '--exit', '--output', 'json', '--brokers', tb.bootstrap], {env: {KPAT_HOME: tempDir('kpat-txn-home-'), KPAT_BROKERS: ''}});
    expect(res.code).toBe(0);
    const values = res.stdout.trim().split('\n').map((l) => (JSON.parse(l) as {value: string}).value);
    expect(values).toEqual(['a1', 'a2', 'c1']);
  });
});
