import {spawn, type ChildProcess} from 'node:child_process';
import kafkajs from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {kcat, kcatPath} from '../helpers/kcat.js';
import {runCli} from '../helpers/cli.js';

const {Kafka, logLevel} = kafkajs;

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Balanced {
  child: ChildProcess;
  out: string[];
  err: string;
  exited: Promise<void>;
}

/**
 * `kcat -G`: librdkafka's balanced consumer. kcat stores the offset of each
 * record it prints and commits them when it closes (on SIGTERM).
 */
function balancedKcat(bootstrap: string, group: string, topic: string): Balanced {
  const child = spawn(kcatPath(), ['-b', bootstrap, '-G', group, '-X', 'auto.offset.reset=earliest', '-X', 'session.timeout.ms=6000', '-u', '-f', '%p:%s\\n', topic], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const b: Balanced = {child, out: [], err: '', exited: new Promise((r) => child.on('exit', () => r()))};
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    const lines = (partial + d).split('\n');
    partial = lines.pop()!;
    b.out.push(...lines);
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (b.err += d));
  return b;
}

describe('kcat balanced consumers (librdkafka) in one group', () => {
  it('split the partitions between them and commit offsets that kafkajs admin reads back', async () => {
    const topic = 'kcat.groups';
    const kafka = new Kafka({brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({topics: [{topic, numPartitions: 4}]});

    const a = balancedKcat(tb.bootstrap, 'kcat-g', topic);
    const b = balancedKcat(tb.bootstrap, 'kcat-g', topic);
    try {
      const deadline = Date.now() + 30_000;
      let members: kafkajs.MemberDescription[] = [];
      while (Date.now() < deadline) {
        const g = (await admin.describeGroups(['kcat-g'])).groups[0]!;
        members = g.members;
        if (g.state === 'Stable' && members.length === 2) break;
        await sleep(100);
      }
      expect(members).toHaveLength(2);

      const lines = Array.from({length: 400}, (_, i) => `k${i}:v${i}`);
      await kcat(['-b', tb.bootstrap, '-t', topic, '-P', '-K:'], lines.join('\n') + '\n');

      const waitAll = Date.now() + 30_000;
      while (a.out.length + b.out.length < 400 && Date.now() < waitAll) await sleep(100);
      const partitionsOf = (x: Balanced) => new Set(x.out.map((l) => Number(l.split(':')[0])));
      const pa = partitionsOf(a);
      const pb = partitionsOf(b);
      // Each got records, from disjoint partitions, and together all 400.
      expect(pa.size).toBeGreaterThan(0);
      expect(pb.size).toBeGreaterThan(0);
      expect([...pa].filter((p) => pb.has(p))).toEqual([]);
      const values = [...a.out, ...b.out].map((l) => l.split(':')[1]);
      expect(new Set(values).size).toBe(400);

      // Both close: each commits what it printed and leaves the group.
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      await Promise.all([a.exited, b.exited]);
      const ends = await admin.fetchTopicOffsets(topic);
      const committed = (await admin.fetchOffsets({groupId: 'kcat-g', topics: [topic]}))[0]!.partitions;
      expect((await admin.describeGroups(['kcat-g'])).groups[0]!.state).toBe('Empty');
      expect(committed.sort((x, y) => x.partition - y.partition).map((c) => c.offset)).toEqual(ends.sort((x, y) => x.partition - y.partition).map((e) => e.high));

      // kpat lag reads the same commits: lag 0 everywhere, committed = end.
      const lag = await runCli(['lag', '--group', 'kcat-g', '--json', '--brokers', tb.bootstrap]);
      expect(lag.code).toBe(0);
      const rows = lag.stdout.trim().split('\n').map((l) => JSON.parse(l) as {type: string; partition?: number; committed?: number; end?: number; lag?: number; totalLag?: number});
      const perPartition = rows.filter((r) => r.type === 'lag').sort((x, y) => x.partition! - y.partition!);
      expect(perPartition.map((r) => r.committed)).toEqual(ends.map((e) => Number(e.high)));
      expect(perPartition.every((r) => r.lag === 0 && r.end === r.committed)).toBe(true);
      expect(rows.find((r) => r.type === 'group-lag')!.totalLag).toBe(0);
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      await Promise.all([a.exited, b.exited]);
      await admin.disconnect();
    }
  });
});
