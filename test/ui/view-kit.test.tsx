import kafkajs, {type Admin, type Consumer, type Producer} from 'kafkajs';
import {render} from 'ink-testing-library';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {ConsumedRecord} from '../../src/kafka/records.js';
import {TopicPoller, type TopicSnapshot} from '../../src/kafka/topic-poller.js';
import {watchTopic, type TopicWatch} from '../../src/kafka/topic-watch.js';
import {GroupTabs, LagTable, Panel, PartitionTable, RecordTail, StatusBar} from '../../src/ui/kit/index.js';
import {WatchView} from '../../src/ui/watch/WatchView.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';

const {Kafka, logLevel} = kafkajs;

/**
 * Each component of the view kit rendered with data from the real poller and the real
 * record tail against the embedded broker, then the whole watch view driven by keys.
 */
const TOPIC = 'kit.v1';
const WIDE = 'kit.wide.v1';
let tb: TestBroker;
let admin: Admin;
let producer: Producer;
const consumers: Consumer[] = [];
let watch: TopicWatch;
let snapshot: TopicSnapshot;
const records: ConsumedRecord[] = [];

async function until<T>(what: string, probe: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}; last seen:\n${String(last)}`);
}

/** A group member that reads nothing and commits what it is told. */
async function groupCommitting(kafka: InstanceType<typeof Kafka>, groupId: string, offsets: Record<number, number>): Promise<void> {
  const consumer = kafka.consumer({groupId, heartbeatInterval: 300, maxWaitTimeInMs: 100});
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({topic: TOPIC, fromBeginning: true});
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.run({autoCommit: false, eachMessage: async () => {}});
  await joined;
  consumer.pause([{topic: TOPIC}]);
  await consumer.commitOffsets(Object.entries(offsets).map(([p, o]) => ({topic: TOPIC, partition: Number(p), offset: String(o)})));
}

const lines = (frame: string | undefined) => (frame ?? '').split('\n');

beforeAll(async () => {
  tb = await startTestBroker();
  const kafka = new Kafka({clientId: 'kit-test', brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({topics: [{topic: TOPIC, numPartitions: 3}, {topic: WIDE, numPartitions: 12}], waitForLeaders: true});
  producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: TOPIC,
    acks: -1,
    messages: [
      {partition: 0, key: 'o-1', value: '{\n "orderId": "o-1",\n "total": 12.5\n}', headers: {source: 'checkout', trace: 't-1'}},
      {partition: 0, key: 'o-2', value: 'plain text'},
      {partition: 1, key: null, value: Buffer.from([0, 1, 2, 0xfe, 0xff])},
      ...Array.from({length: 8}, (_, i) => ({partition: 1, key: `k-${i}`, value: `v-${i}`})),
      ...Array.from({length: 5}, (_, i) => ({partition: 2, key: `m-${i}`, value: `{"n":${i}}`})),
    ],
  });
  await groupCommitting(kafka, 'billing', {0: 1, 1: 4, 2: 5});
  await groupCommitting(kafka, 'audit', {0: 2, 1: 9, 2: 5});

  watch = await watchTopic(tb.conn, {topic: TOPIC, start: {kind: 'earliest'}, intervalMs: 200});
  watch.records.subscribe((r) => records.push(r));
  await until('16 records', () => records.length, (n) => n === 16);
  snapshot = await until('both groups', () => watch.snapshots.current(), (s) => s.groups.length === 2);
});

afterAll(async () => {
  await watch?.stop();
  for (const c of consumers) await c.disconnect().catch(() => {});
  await producer?.disconnect().catch(() => {});
  await admin?.disconnect().catch(() => {});
  await tb?.stop();
});

describe('view kit components fed by the real poller and tail', () => {
  it('PartitionTable shows log start, end, rate and one group\'s committed, lag, trend and health', () => {
    const audit = snapshot.groups.find((g) => g.groupId === 'audit')!;
    const {lastFrame} = render(<PartitionTable partitions={snapshot.partitions} lag={audit.partitions} />);
    const [header, ...rows] = lines(lastFrame());
    expect(header).toMatch(/^P\s+START\s+END\s+REC\/S\s+COMMITTED\s+LAG\s+TREND\s+HEALTH$/);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^0\s+0\s+2\s+\d+\.\d\s+2\s+0\s+▁+\s+OK$/);
    expect(rows[1]).toMatch(/^1\s+0\s+9\s+\d+\.\d\s+9\s+0\s+▁+\s+OK$/);
    expect(rows[2]).toMatch(/^2\s+0\s+5\s+\d+\.\d\s+5\s+0\s+▁+\s+OK$/);

    const billing = snapshot.groups.find((g) => g.groupId === 'billing')!;
    const other = lines(render(<PartitionTable partitions={snapshot.partitions} lag={billing.partitions} showOwner />).lastFrame());
    expect(other[0]).toMatch(/HEALTH\s+OWNER$/);
    expect(other[1]).toMatch(/^0\s+0\s+2\s+\S+\s+1\s+1\s+\S+\s+OK\s+kit-test \(127\.0\.0\.1\)$/);
    expect(other[2]).toMatch(/^1\s+0\s+9\s+\S+\s+4\s+5\s/);

    const bare = lines(render(<PartitionTable partitions={snapshot.partitions} />).lastFrame());
    expect(bare[0]).toMatch(/^P\s+START\s+END\s+REC\/S$/);
  });

  it('PartitionTable scrolls many partitions and says where it is', async () => {
    const poller = new TopicPoller(tb.conn, {topic: WIDE});
    const wide = await poller.poll();
    await poller.stop();
    const top = lines(render(<PartitionTable partitions={wide.partitions} height={5} />).lastFrame());
    expect(top).toHaveLength(5);
    expect(top[0]).toMatch(/REC\/S\s+1-4 of 12 ↑↓$/);
    expect(top.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['0', '1', '2', '3']);
    // Scrolling past the end stops at the last page.
    const bottom = lines(render(<PartitionTable partitions={wide.partitions} height={5} scroll={50} />).lastFrame());
    expect(bottom[0]).toMatch(/9-12 of 12 ↑↓$/);
    expect(bottom.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['8', '9', '10', '11']);
  });

  it('LagTable shows one group per partition, with topic and owner when asked', () => {
    const billing = snapshot.groups.find((g) => g.groupId === 'billing')!;
    const frame = lines(render(<LagTable rows={billing.partitions} showTopic showOwner />).lastFrame());
    expect(frame[0]).toMatch(/^TOPIC\s+P\s+END\s+COMMITTED\s+LAG\s+TREND\s+HEALTH\s+OWNER$/);
    expect(frame.slice(1).map((l) => l.split(/\s+/).slice(0, 5))).toEqual([
      ['kit.v1', '0', '2', '1', '1'],
      ['kit.v1', '1', '9', '4', '5'],
      ['kit.v1', '2', '5', '5', '0'],
    ]);
    expect(render(<LagTable rows={[]} />).lastFrame()).toMatch(/nothing committed and no partitions assigned/);
  });

  it('GroupTabs lists every group with total lag and worst health, the selected one highlighted', () => {
    const frame = render(<GroupTabs groups={snapshot.groups} selected="billing" />).lastFrame()!;
    expect(frame).toMatch(/^GROUPS\s+audit\s+lag 0 OK\s+billing\s+lag 6 OK$/);
    expect(render(<GroupTabs groups={[]} />).lastFrame()).toBe('no consumer group has committed on this topic yet');
  });

  it('RecordTail shows the newest records at the bottom: time, partition@offset, key, headers, value preview', () => {
    const byPosition = [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    const frame = lines(render(<RecordTail records={byPosition} height={16} width={100} />).lastFrame());
    expect(frame).toHaveLength(16);
    expect(frame[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}\s+0@0 o-1\s+source=checkout \+1 \{"orderId":"o-1","total":12\.5\}$/);
    expect(frame[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}\s+0@1 o-2\s+plain text$/);
    expect(frame[2]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}\s+1@0\s+0x000102feff \(5 B\)$/);
    expect(frame[15]).toMatch(/2@4 m-4\s+\{"n":4\}$/);

    const last3 = lines(render(<RecordTail records={byPosition} height={3} width={60} showTopic />).lastFrame());
    expect(last3).toHaveLength(3);
    expect(last3.map((l) => l.match(/kit\.v1\s+(\d@\d)/)?.[1])).toEqual(['2@2', '2@3', '2@4']);
    expect(render(<RecordTail records={[]} height={1} width={60} />).lastFrame()).toBe('waiting for records…');
  });

  it('StatusBar shows the connection the poller reports, including a failure with its fix', async () => {
    const up = render(<StatusBar connection={watch.connection.current()} facts={['3 partitions']} paused={false} />).lastFrame();
    expect(up).toBe(`● connected ${tb.bootstrap} · live · 3 partitions`);
    const dead = new TopicPoller({...tb.conn, brokers: ['127.0.0.1:1']}, {topic: TOPIC});
    await dead.poll().catch(() => {});
    const down = render(<StatusBar connection={dead.connection.current()} paused />).lastFrame();
    expect(down).toBe('✖ no broker at 127.0.0.1:1 — run `kpat up` or pass --brokers · retrying ·  PAUSED');
    await dead.stop();
  });

  it('Panel puts a title rule over its content', () => {
    const frame = lines(render(<Panel title="records" right="3 shown" height={3}><RecordTail records={records.slice(0, 2)} height={2} width={80} /></Panel>).lastFrame());
    expect(frame).toHaveLength(3);
    expect(frame[0]).toMatch(/^─ records ─+ 3 shown ─$/);
  });
});

describe('WatchView driven by keys', () => {
  const size = {columns: 80, rows: 24};

  it('fits the screen and shows partitions, groups, the tail and the status', async () => {
    const view = render(<WatchView watch={watch} size={size} />);
    // Records that arrived before the view mounted are not replayed; new ones are.
    await producer.send({topic: TOPIC, acks: -1, messages: [{partition: 2, key: 'late', value: '{"late":true}'}]});
    const frame = await until('the late record', () => view.lastFrame() ?? '', (f) => f.includes('2@5 late'));
    const rows = lines(frame);
    expect(rows.length).toBeLessThanOrEqual(size.rows - 1);
    expect(Math.max(...rows.map((l) => l.length))).toBeLessThanOrEqual(size.columns);
    expect(rows[0]).toMatch(/^─ kit\.v1 ─+ lag of audit ─$/);
    expect(rows[1]).toMatch(/^P\s+START\s+END\s+REC\/S\s+COMMITTED\s+LAG\s+TREND\s+HEALTH$/);
    expect(frame).toMatch(/GROUPS\s+audit\s+lag \d+ OK\s+billing\s+lag \d+ OK/);
    expect(frame).toMatch(/\{"late":true\}/);
    expect(rows.at(-2)).toMatch(new RegExp(`^● connected ${tb.bootstrap} · live · 3 partitions · [\\d.]+ rec/s · 1 record · lag \\d+$`));
    expect(rows.at(-1)).toMatch(/^q quit\s+p pause\s+g next group\s+\/ filter\s+↑↓ scroll partitions$/);

    view.stdin.write('g');
    await until('billing selected', () => view.lastFrame() ?? '', (f) => f.includes('lag of billing'));
    view.stdin.write('p');
    await until('paused', () => view.lastFrame() ?? '', (f) => f.includes(' PAUSED '));
    await producer.send({topic: TOPIC, acks: -1, messages: [{partition: 0, key: 'while-paused', value: 'x'}]});
    const paused = await until('counted while paused', () => view.lastFrame() ?? '', (f) => f.includes('2 records'));
    expect(paused).not.toMatch(/while-paused/);
    view.stdin.write('p');
    await until('resumed with the record', () => view.lastFrame() ?? '', (f) => f.includes('while-paused') && f.includes('· live ·'));
    view.unmount();
  });

  it('edits the filter with / and applies it on Enter', async () => {
    const view = render(<WatchView watch={watch} size={size} />);
    await producer.send({
      topic: TOPIC,
      acks: -1,
      messages: [
        {partition: 1, key: 'keep-1', value: 'alpha'},
        {partition: 1, key: 'drop-1', value: 'beta', headers: {kind: 'noise'}},
        {partition: 1, key: 'keep-2', value: 'gamma'},
      ],
    });
    await until('three records', () => view.lastFrame() ?? '', (f) => f.includes('keep-2'));
    view.stdin.write('/');
    await until('the prompt', () => view.lastFrame() ?? '', (f) => f.includes('filter: '));
    view.stdin.write('KEEP');
    await until('typed text', () => view.lastFrame() ?? '', (f) => f.includes('filter: KEEP'));
    view.stdin.write('\r');
    const filtered = await until('the filter applied', () => view.lastFrame() ?? '', (f) => f.includes('filter "KEEP": 2 of 3'));
    expect(filtered).toMatch(/keep-1/);
    expect(filtered).not.toMatch(/drop-1/);
    view.stdin.write('/');
    await until('the prompt again', () => view.lastFrame() ?? '', (f) => f.includes('filter: KEEP'));
    for (let i = 0; i < 4; i++) view.stdin.write('\u007f');
    view.stdin.write('kind=noise');
    view.stdin.write('\r');
    const byHeader = await until('a header filter', () => view.lastFrame() ?? '', (f) => f.includes('filter "kind=noise": 1 of 3'));
    expect(byHeader).toMatch(/drop-1/);
    view.unmount();
  });

  it('scrolls partitions with the arrow keys when they do not fit', async () => {
    const wide = await watchTopic(tb.conn, {topic: WIDE, start: {kind: 'latest'}});
    try {
      const view = render(<WatchView watch={wide} size={{columns: 80, rows: 18}} />);
      await until('the first page', () => view.lastFrame() ?? '', (f) => /1-4 of 12/.test(f));
      for (let i = 0; i < 3; i++) view.stdin.write('\u001b[B');
      await until('scrolled down three', () => view.lastFrame() ?? '', (f) => /4-7 of 12/.test(f));
      view.stdin.write('\u001b[A');
      await until('scrolled up one', () => view.lastFrame() ?? '', (f) => /3-6 of 12/.test(f));
      view.unmount();
    } finally {
      await wide.stop();
    }
  });
});

describe('WatchView when the broker goes away', () => {
  it('says so with the fix, marks the table as stale, and recovers on its own', async () => {
    const dataDir = tempDir('kpat-kit-restart-');
    let own = await startTestBroker({dataDir});
    const port = Number(own.bootstrap.split(':')[1]);
    const local = new Kafka({clientId: 'kit-restart', brokers: [own.bootstrap], logLevel: logLevel.NOTHING});
    const a = local.admin();
    await a.connect();
    await a.createTopics({topics: [{topic: 'gone.v1', numPartitions: 1}], waitForLeaders: true});
    await a.disconnect();
    const w = await watchTopic(own.conn, {topic: 'gone.v1', start: {kind: 'latest'}, intervalMs: 100});
    const view = render(<WatchView watch={w} size={{columns: 100, rows: 20}} />);
    try {
      await until('connected', () => view.lastFrame() ?? '', (f) => f.includes(`● connected ${own.bootstrap}`));
      await own.broker.close();
      const down = await until('the loss', () => view.lastFrame() ?? '', (f) => f.includes(`✖ no broker at 127.0.0.1:${port} — run \`kpat up\` or pass --brokers · retrying`));
      expect(down).toMatch(/^─ gone\.v1 ─+ as of \d\d:\d\d:\d\d\.\d{3} ─$/m);
      own = await startTestBroker({dataDir, port});
      const back = await until('the reconnection', () => view.lastFrame() ?? '', (f) => f.includes(`● connected 127.0.0.1:${port}`), 15_000);
      expect(back).not.toMatch(/as of/);
    } finally {
      view.unmount();
      await w.stop();
      await own.stop();
    }
  });
});
