import {spawn, type ChildProcess} from 'node:child_process';
import {hostname} from 'node:os';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Kafka, logLevel} from 'kafkajs';
import {afterEach, describe, expect, it} from 'vitest';
import {startBroker, type RunningBroker} from '../../src/broker/broker.js';
import {LOCK_FILE} from '../../src/broker/data-dir-lock.js';
import {processStartTicks} from '../../src/broker/process-identity.js';
import {tempDir} from '../helpers/broker.js';
import {spawnBrokerProcess, type BrokerProcess} from '../helpers/broker-process.js';
import {connectionTo, readTopic} from '../helpers/read-topic.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dataDir(): string {
  const dir = tempDir('kpat-lock-');
  cleanups.push(() => rmSync(dir, {recursive: true, force: true}));
  return dir;
}

async function start(dir: string): Promise<RunningBroker> {
  const broker = await startBroker({port: 0, dataDir: dir, fsync: 'never'});
  cleanups.push(() => broker.close());
  return broker;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const inUse = (dir: string, pid: number, bootstrap: string) => escape(`data dir ${dir} is in use by pid ${pid} (kpat broker at ${bootstrap})`);

async function produce(bootstrap: string, topic: string, values: string[]): Promise<void> {
  const kafka = new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: {retries: 2}});
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({topic, acks: -1, messages: values.map((value) => ({value}))});
  await producer.disconnect();
}

describe('data dir lock', () => {
  it('refuses a second broker on the same data dir, naming the first, until the first closes', async () => {
    const dir = dataDir();
    const first = await start(dir);
    await expect(startBroker({port: 0, dataDir: dir})).rejects.toThrow(new RegExp(`^${inUse(dir, process.pid, first.bootstrap)}$`));
    await first.close();
    const second = await start(dir);
    expect(second.ctx.topics.list()).toEqual([]);
  });

  it('refuses while a broker process holds it, and takes over its stale lock after SIGKILL with every acknowledged record', async () => {
    const dir = dataDir();
    const proc: BrokerProcess = await spawnBrokerProcess(dir);
    cleanups.push(() => proc.kill());
    await produce(proc.bootstrap, 'locked.v1', ['a', 'b', 'c']);
    await expect(startBroker({port: 0, dataDir: join(dir, 'data')})).rejects.toThrow(
      new RegExp(inUse(join(dir, 'data'), proc.child.pid!, proc.bootstrap)),
    );
    await proc.kill();
    const next = await start(join(dir, 'data'));
    const records = await readTopic(connectionTo(next.bootstrap), 'locked.v1');
    expect(records.map((r) => String(r.value))).toEqual(['a', 'b', 'c']);
    // The lock now names the new broker.
    expect(JSON.parse(readFileSync(join(dir, 'data', LOCK_FILE), 'utf8'))).toMatchObject({pid: process.pid, port: next.port});
  });

  it('takes over a lock whose pid now belongs to another program (pid reuse), not one whose pid is that broker', async () => {
    const dir = dataDir();
    const sleeper: ChildProcess = spawn('sleep', ['60'], {stdio: 'ignore'});
    cleanups.push(() => void sleeper.kill('SIGKILL'));
    await new Promise((r) => sleeper.once('spawn', r));
    const lock = (startTicks: string | null) =>
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({pid: sleeper.pid, startTicks, hostname: hostname(), host: '127.0.0.1', port: 9092, token: 'old'}));

    // Its real start time: that process is the lock's owner.
    lock(processStartTicks(sleeper.pid!));
    await expect(startBroker({port: 0, dataDir: dir})).rejects.toThrow(new RegExp(inUse(dir, sleeper.pid!, '127.0.0.1:9092')));
    // Another start time: the owner died and its pid was given to this program.
    lock('1');
    const broker = await start(dir);
    expect(broker.port).toBeGreaterThan(0);
  });

  it('lets exactly one of two brokers racing for a stale lock have the data dir', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({pid: 2 ** 22 + 1, startTicks: null, hostname: hostname(), host: '127.0.0.1', port: 1, token: 'dead'}));
    const results = await Promise.allSettled([start(dir), start(dir)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(String(failed.reason)).toMatch(new RegExp(escape(`data dir ${dir} is in use by pid ${process.pid}`)));
  });
});
