import {readdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {Kafka, logLevel} from 'kafkajs';
import {afterEach, describe, expect, it} from 'vitest';
import {partitionDirName} from '../../src/broker/topic-names.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {spawnBrokerProcess, type BrokerProcess} from '../helpers/broker-process.js';
import {runCli} from '../helpers/cli.js';
import {kcat} from '../helpers/kcat.js';
import {connectionTo, readTopic} from '../helpers/read-topic.js';

const KEYS = 50;
const VERSIONS = 20;
const TOMBSTONED = 10;
const COMPACTED = {
  'cleanup.policy': 'compact',
  'segment.bytes': '4096',
  'segment.ms': '300',
  'min.cleanable.dirty.ratio': '0.01',
  'min.compaction.lag.ms': '0',
};

let tb: TestBroker | null = null;
const processes: BrokerProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await tb?.stop();
  tb = null;
  for (const p of processes.splice(0)) await p.kill();
  for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true});
});

const kafkaFor = (bootstrap: string) => new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: {retries: 0}});

async function createCompacted(bootstrap: string, topic: string, configs: Record<string, string>): Promise<void> {
  const admin = kafkaFor(bootstrap).admin();
  await admin.connect();
  await admin.createTopics({topics: [{topic, configEntries: Object.entries(configs).map(([name, value]) => ({name, value}))}]});
  await admin.disconnect();
}

/** 20 versions of 50 keys (offset = version * 50 + key), then tombstones for the first 10 keys. */
async function produceVersions(bootstrap: string, topic: string): Promise<void> {
  const producer = kafkaFor(bootstrap).producer();
  await producer.connect();
  for (let v = 0; v < VERSIONS; v++) {
    await producer.send({topic, acks: -1, messages: Array.from({length: KEYS}, (_, k) => ({key: `k${k}`, value: `k${k}@${v}`}))});
  }
  await producer.send({topic, acks: -1, messages: Array.from({length: TOMBSTONED}, (_, k) => ({key: `k${k}`, value: null}))});
  // The log's last batch is never cleaned (readers stop at end - 1): a record after the tombstones.
  await producer.send({topic, acks: -1, messages: [{key: 'last', value: 'last'}]});
  await producer.disconnect();
}

/** What a fully compacted topic holds: each live key's last version at its original offset. */
const liveRecords = () => [
  ...Array.from({length: KEYS - TOMBSTONED}, (_, i) => {
    const k = i + TOMBSTONED;
    return {offset: (VERSIONS - 1) * KEYS + k, key: `k${k}`, value: `k${k}@${VERSIONS - 1}`};
  }),
  {offset: VERSIONS * KEYS + TOMBSTONED, key: 'last', value: 'last'},
];
const tombstones = () => Array.from({length: TOMBSTONED}, (_, k) => ({offset: VERSIONS * KEYS + k, key: `k${k}`, value: null}));

async function contents(bootstrap: string, topic: string) {
  const records = await readTopic(connectionTo(bootstrap), topic);
  return records.map((r) => ({offset: r.offset, key: r.key?.toString() ?? null, value: r.value?.toString() ?? null}));
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

const byOffset = <T extends {offset: number}>(records: T[]) => [...records].sort((a, b) => a.offset - b.offset);

describe('log compaction', () => {
  it('refuses records without a key on a compacted topic (INVALID_RECORD)', async () => {
    tb = await startTestBroker();
    await createCompacted(tb.bootstrap, 'keyless.v1', {'cleanup.policy': 'compact'});
    const producer = kafkaFor(tb.bootstrap).producer();
    await producer.connect();
    await expect(producer.send({topic: 'keyless.v1', messages: [{value: 'no key'}]})).rejects.toMatchObject({type: 'INVALID_RECORD'});
    await producer.send({topic: 'keyless.v1', messages: [{key: 'k', value: 'keyed'}]});
    await producer.disconnect();
    expect(tb.logs.join('\n')).toContain('Compacted topic cannot accept message without key in topic partition keyless.v1-0');
    expect(await contents(tb.bootstrap, 'keyless.v1')).toEqual([{offset: 0, key: 'k', value: 'keyed'}]);
  });

  it('keeps the latest value of each key at its offset, then drops tombstones after delete.retention.ms', async () => {
    tb = await startTestBroker({logCleanerIntervalMs: 100});
    await createCompacted(tb.bootstrap, 'compacted.v1', {...COMPACTED, 'delete.retention.ms': '3000'});
    await produceVersions(tb.bootstrap, 'compacted.v1');

    const withTombstones = byOffset([...liveRecords(), ...tombstones()]);
    await waitFor('old versions to be cleaned', () => contents(tb!.bootstrap, 'compacted.v1'), (r) => r.length <= withTombstones.length);
    const compacted = await contents(tb.bootstrap, 'compacted.v1');
    // Either still with its tombstones or already past delete.retention.ms: never an old version.
    expect([withTombstones, liveRecords()]).toContainEqual(compacted);

    await waitFor('tombstones to go', () => contents(tb!.bootstrap, 'compacted.v1'), (r) => r.length === liveRecords().length);
    expect(await contents(tb.bootstrap, 'compacted.v1')).toEqual(liveRecords());
    const viaKcat = await kcat(['-b', tb.bootstrap, '-t', 'compacted.v1', '-C', '-e', '-q', '-f', '%o %k %s\\n']);
    expect(viaKcat.trim().split('\n')).toEqual(liveRecords().map((r) => `${r.offset} ${r.key} ${r.value}`));
    expect(tb.logs.join('\n')).toMatch(/\[compacted\.v1-0\] cleaner: \d+ segment\(s\) rewritten/);

    const described = await runCli(['topics', 'describe', 'compacted.v1', '--brokers', tb.bootstrap]);
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(/compaction: \d+(\.\d+)? (B|KiB) dirty \(ratio \d\.\d\d\) · last cleaned \d{4}-\d\d-\d\dT/);
    const asJson = JSON.parse((await runCli(['topics', 'describe', 'compacted.v1', '--brokers', tb.bootstrap, '--json'])).stdout.trim().split('\n')[0]!);
    expect(asJson.cleaner).toMatchObject({dirtyBytes: expect.any(Number), dirtyRatio: expect.any(Number), lastCleanedMs: expect.any(Number)});
    // Tools listing every config never see the kpat.cleaner.* entries.
    expect(asJson.configs.map((c: {name: string}) => c.name)).not.toContain('kpat.cleaner.dirty.ratio');
  });

  it('keeps a compact-only topic\'s data past retention.ms, and describes no cleaner for delete topics', async () => {
    tb = await startTestBroker({retentionCheckIntervalMs: 50});
    await createCompacted(tb.bootstrap, 'forever.v1', {'cleanup.policy': 'compact', 'segment.bytes': '1024', 'retention.ms': '1'});
    await createCompacted(tb.bootstrap, 'plain.v1', {'segment.bytes': '1024', 'retention.ms': '1'});
    const producer = kafkaFor(tb.bootstrap).producer();
    await producer.connect();
    for (const topic of ['forever.v1', 'plain.v1']) {
      for (let i = 0; i < 30; i++) await producer.send({topic, messages: [{key: `k${i}`, value: 'x'.repeat(100)}]});
    }
    await producer.disconnect();
    await waitFor('retention on the delete topic', () => contents(tb!.bootstrap, 'plain.v1'), (r) => r.length < 30);
    expect(await contents(tb.bootstrap, 'forever.v1')).toHaveLength(30);
    const described = await runCli(['topics', 'describe', 'plain.v1', '--brokers', tb.bootstrap]);
    expect(described.code).toBe(0);
    expect(described.stdout).not.toContain('compaction:');
  });

  it('loses nothing when the broker is killed while cleaning', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const args = ['--log-cleaner-interval-ms', '100', '--log-cleaner-swap-delay-ms', '400'];
    const first = await spawnBrokerProcess(dir, {args});
    processes.push(first);
    await createCompacted(first.bootstrap, 'crash.compacted.v1', {...COMPACTED, 'delete.retention.ms': '600000'});
    await produceVersions(first.bootstrap, 'crash.compacted.v1');
    // A cleaned segment is written and waits to be swapped in: kill the broker then.
    const partitionDir = join(dir, 'data', partitionDirName('crash.compacted.v1', 0));
    const cleanedTemp = async () => readdirSync(partitionDir).filter((name) => name.endsWith('.cleaned.tmp'));
    await waitFor('a cleaned segment waiting for its swap', cleanedTemp, (names) => names.length > 0);
    // Past the first swap too, so the kill may also land between swaps.
    await new Promise((r) => setTimeout(r, 500));
    await first.kill();
    expect(await cleanedTemp()).not.toEqual([]);

    const second = await spawnBrokerProcess(dir);
    processes.push(second);
    const after = await contents(second.bootstrap, 'crash.compacted.v1');
    expect(await cleanedTemp()).toEqual([]); // recovery removed the half-done clean
    // Every key's latest state is there at its offset, and what remains is a subset of what was written.
    const latest = new Map(after.map((r) => [r.key, r]));
    expect(byOffset([...latest.values()])).toEqual(byOffset([...liveRecords(), ...tombstones()]));
    const expectedOffset = (r: {key: string | null; value: string | null}) =>
      r.key === 'last' ? VERSIONS * KEYS + TOMBSTONED : Number(r.value?.split('@')[1] ?? VERSIONS) * KEYS + Number(r.key!.slice(1));
    expect(after.every((r) => r.offset === expectedOffset(r))).toBe(true);
  });
});
