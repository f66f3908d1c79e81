import {spawn} from 'node:child_process';
import {join} from 'node:path';
import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {iterateBatches} from '../../src/broker/protocol/record-batch.js';
import {kcat, kcatPath} from '../helpers/kcat.js';
import {readTopic} from '../helpers/read-topic.js';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

/** Runs a program without blocking the event loop (the broker runs in this process); keeps both streams. */
function run(command: string, args: string[], input = '', timeoutMs = 60_000): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {stdio: ['pipe', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({code, stdout, stderr});
    });
    child.stdin.end(input);
  });
}

/** The producer ids of the batches stored in partition 0: proof the client really produced idempotently. */
function producerIdsIn(topic: string): number[] {
  const log = tb.broker.ctx.topics.partition(topic, 0)!;
  const ids = new Set<number>();
  for (const {header} of iterateBatches(log.read(log.logStartOffset, 64 * 1024 * 1024))) ids.add(header.producerId);
  return [...ids];
}

const PRODUCER_ERRORS = /fatal|purged|error/i;

describe('idempotent producers of other clients', () => {
  it('kcat with enable.idempotence=true writes 1,000 records at offsets 0–999, without a fatal error', async () => {
    const lines = Array.from({length: 1000}, (_, i) => `k${i % 10}:value-${i}`);
    const produced = await run(kcatPath(), ['-b', tb.bootstrap, '-t', 'idem.kcat', '-P', '-K:', '-X', 'enable.idempotence=true', '-X', 'linger.ms=5'], lines.join('\n') + '\n');
    expect(produced.stderr).not.toMatch(PRODUCER_ERRORS);
    expect(produced.code).toBe(0);
    const out = await kcat(['-b', tb.bootstrap, '-t', 'idem.kcat', '-C', '-e', '-q', '-f', '%o %k:%s\\n']);
    const rows = out.trimEnd().split('\n');
    expect(rows).toEqual(lines.map((line, i) => `${i} ${line}`));
    expect(tb.logs.join('\n')).not.toMatch(/refused/);
    expect(producerIdsIn('idem.kcat')).toEqual([expect.any(Number)]);
    expect(producerIdsIn('idem.kcat')[0]).toBeGreaterThanOrEqual(0);
  });

  it('confluent-kafka-python with enable.idempotence lands every record once; a consumer group reads them back', async () => {
    await kcat(['-b', tb.bootstrap, '-t', 'idem.python', '-P'], 'create\n');
    const script = join(import.meta.dirname, '..', 'fixtures', 'python-idempotent.py');
    const result = await run('/usr/bin/python3', [script, tb.bootstrap, 'idem.python', '500', 'idem-python-group']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as {delivered: number[]; errors: string[]; consumed: Array<[number, string]>};
    expect(report.errors).toEqual([]);
    expect(report.delivered).toEqual(Array.from({length: 500}, (_, i) => i + 1));
    expect(report.consumed).toEqual([[0, 'create'], ...Array.from({length: 499}, (_, i): [number, string] => [i + 1, `v${i}`])]);
    const all = await readTopic(tb.conn, 'idem.python');
    expect(all).toHaveLength(501);
    expect(producerIdsIn('idem.python').filter((id) => id >= 0)).toHaveLength(1);
  });

  it('kafkajs with idempotent: true lands records once and in order', async () => {
    const kafka = new Kafka({brokers: [tb.bootstrap], clientId: 'idem-kafkajs', logLevel: logLevel.NOTHING});
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({topics: [{topic: 'idem.kafkajs', numPartitions: 1}]});
    await admin.disconnect();
    const producer = kafka.producer({idempotent: true, maxInFlightRequests: 1});
    await producer.connect();
    for (let round = 0; round < 10; round++) {
      await producer.send({topic: 'idem.kafkajs', acks: -1, messages: Array.from({length: 50}, (_, i) => ({key: `k${i}`, value: `r${round}-${i}`}))});
    }
    await producer.disconnect();
    const records = await readTopic(tb.conn, 'idem.kafkajs');
    expect(records.map((r) => r.value!.toString())).toEqual(Array.from({length: 500}, (_, n) => `r${Math.floor(n / 50)}-${n % 50}`));
    expect(records.map((r) => Number(r.offset))).toEqual(Array.from({length: 500}, (_, n) => n));
    expect(producerIdsIn('idem.kafkajs')).toEqual([expect.any(Number)]);
    expect(producerIdsIn('idem.kafkajs')[0]).toBeGreaterThanOrEqual(0);
  });
});
