import {appendFileSync, readdirSync, rmSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {Kafka, logLevel} from 'kafkajs';
import {afterEach, describe, expect, it} from 'vitest';
import {connectionTo, readTopic} from '../helpers/read-topic.js';
import {startTestBroker, tempDir} from '../helpers/broker.js';
import {spawnBrokerProcess, type BrokerProcess} from '../helpers/broker-process.js';

const brokers: BrokerProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const b of brokers.splice(0)) await b.kill();
  for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true});
});

const readAll = (bootstrap: string, topic: string) => readTopic(connectionTo(bootstrap), topic);

describe('crash safety', () => {
  it('keeps every acknowledged record across SIGKILL, and new offsets continue after them', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const first = await spawnBrokerProcess(dir);
    brokers.push(first);

    const kafka = new Kafka({brokers: [first.bootstrap], logLevel: logLevel.NOTHING, retry: {retries: 0}});
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({topics: [{topic: 'crash.v1', numPartitions: 2}]});
    await admin.disconnect();
    const producer = kafka.producer({retry: {retries: 0}});
    await producer.connect();

    // Several producers' worth of concurrent sends; the broker is killed while they are in flight.
    const acked = new Map<string, {partition: number; offset: number}>();
    let seq = 0;
    let stop = false;
    const sendLoop = async () => {
      while (!stop) {
        const batch = Array.from({length: 20}, () => `r${seq++}`);
        try {
          const meta = await producer.send({topic: 'crash.v1', acks: -1, messages: batch.map((v) => ({key: v, value: v}))});
          // One partition per call is not guaranteed; remember the values, check offsets per partition below.
          for (const v of batch) acked.set(v, {partition: -1, offset: -1});
          void meta;
        } catch {
          return;
        }
      }
    };
    const loops = [sendLoop(), sendLoop(), sendLoop()];
    await new Promise((r) => setTimeout(r, 700));
    await first.kill();
    stop = true;
    await Promise.all(loops);
    await producer.disconnect().catch(() => {});
    expect(acked.size).toBeGreaterThan(100);

    const second = await spawnBrokerProcess(dir);
    brokers.push(second);
    const records = await readAll(second.bootstrap, 'crash.v1');
    const values = new Set(records.map((r) => r.value!.toString()));
    const missing = [...acked.keys()].filter((v) => !values.has(v));
    expect(missing).toEqual([]);
    // Offsets are dense per partition from 0.
    for (const p of [0, 1]) {
      const offs = records.filter((r) => r.partition === p).map((r) => r.offset);
      expect(offs).toEqual(offs.map((_, i) => i));
    }

    const kafka2 = new Kafka({brokers: [second.bootstrap], logLevel: logLevel.NOTHING});
    const p2 = kafka2.producer();
    await p2.connect();
    const [meta] = await p2.send({topic: 'crash.v1', acks: -1, messages: [{value: 'after', partition: 0}]});
    await p2.disconnect();
    expect(Number(meta!.baseOffset)).toBe(records.filter((r) => r.partition === 0).length);
  });

  it('truncates garbage appended to a segment tail on start and serves the valid part', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const a = await startTestBroker({dataDir});
    const kafka = new Kafka({brokers: [a.bootstrap], logLevel: logLevel.NOTHING});
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 5; i++) await producer.send({topic: 'torn.v1', acks: -1, messages: [{value: `v${i}`}]});
    await producer.disconnect();
    await a.stop();

    const partDir = join(dataDir, 'torn.v1-0');
    const segment = readdirSync(partDir).find((f) => f.endsWith('.log'))!;
    const before = statSync(join(partDir, segment)).size;
    appendFileSync(join(partDir, segment), Buffer.from('this is not a record batch, just garbage bytes at the tail'));

    const b = await startTestBroker({dataDir});
    expect(b.logs.join('\n')).toMatch(/torn\.v1-0.*(truncat|cut)/i);
    expect(statSync(join(partDir, segment)).size).toBe(before);
    const records = await readAll(b.bootstrap, 'torn.v1');
    expect(records.map((r) => r.value!.toString())).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    const p = new Kafka({brokers: [b.bootstrap], logLevel: logLevel.NOTHING}).producer();
    await p.connect();
    const [meta] = await p.send({topic: 'torn.v1', messages: [{value: 'v5'}]});
    await p.disconnect();
    expect(meta!.baseOffset).toBe('5');
    await b.stop();
  });
});
