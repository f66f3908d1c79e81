import {spawnSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/broker.js';
import {jsonLines, runCli} from '../helpers/cli.js';
import {kcat} from '../helpers/kcat.js';
import {sampleValue, scrape} from '../helpers/prometheus.js';

const home = tempDir('kpat-metrics-');
const env = {KPAT_HOME: home, KPAT_BROKERS: ''};
let bootstrap = '';
let metricsUrl = '';

/** Commits exactly these offsets for a group, as any librdkafka client does (confluent-kafka-python). */
function pythonCommit(group: string, topic: string, offsets: Record<number, number>): void {
  const script = `
import sys
from confluent_kafka import Consumer, TopicPartition
c = Consumer({'bootstrap.servers': sys.argv[1], 'group.id': sys.argv[2], 'enable.auto.commit': False})
c.commit(offsets=[TopicPartition(sys.argv[3], int(p), int(o)) for p, o in (x.split(':') for x in sys.argv[4:])], asynchronous=False)
c.close()
`;
  const args = Object.entries(offsets).map(([p, o]) => `${p}:${o}`);
  const res = spawnSync('/usr/bin/python3', ['-c', script, bootstrap, group, topic, ...args], {encoding: 'utf8', timeout: 30_000});
  if (res.status !== 0) throw new Error(`commit failed: ${res.stderr}`);
}

describe('kpat up serves kafka_exporter metrics', () => {
  beforeAll(async () => {
    const up = await runCli(['up', '--port', '0', '--json'], {env});
    expect(up.code).toBe(0);
    const line = jsonLines(up.stdout)[0]!;
    bootstrap = line.bootstrap as string;
    metricsUrl = line.metrics as string;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  });
  afterAll(async () => {
    await runCli(['down', '--purge'], {env});
  });

  it('kpat status reports the endpoint', async () => {
    const status = jsonLines((await runCli(['status', '--json'], {env})).stdout)[0]!;
    expect(status.metrics).toBe(metricsUrl);
  });

  it('shows partition offsets and group offsets and lag that agree with kpat lag', async () => {
    expect((await runCli(['topics', 'create', 'payments.v1', '--partitions', '2'], {env})).code).toBe(0);
    await kcat(['-b', bootstrap, '-P', '-t', 'orders.v1'], 'o1\no2\no3\no4\no5\n');
    await kcat(['-b', bootstrap, '-P', '-t', 'payments.v1', '-p', '0'], 'a\nb\nc\n');
    await kcat(['-b', bootstrap, '-P', '-t', 'payments.v1', '-p', '1'], 'd\ne\n');
    // A balanced kcat consumer reads 3 of the 5 orders and commits them as it leaves the group.
    await kcat(['-b', bootstrap, '-G', 'billing', '-X', 'auto.offset.reset=earliest', '-c', '3', '-q', 'orders.v1'], undefined, 60_000);
    // A group that committed one partition of two: the other shows kafka_exporter's -1.
    pythonCommit('audit', 'payments.v1', {0: 2});

    const m = await scrape(metricsUrl);
    expect(sampleValue(m, 'kafka_brokers')).toBe(1);
    expect(sampleValue(m, 'kafka_topic_partitions', {topic: 'payments.v1'})).toBe(2);
    expect(sampleValue(m, 'kafka_topic_partition_current_offset', {topic: 'orders.v1', partition: '0'})).toBe(5);
    expect(sampleValue(m, 'kafka_topic_partition_current_offset', {topic: 'payments.v1', partition: '0'})).toBe(3);
    expect(sampleValue(m, 'kafka_topic_partition_current_offset', {topic: 'payments.v1', partition: '1'})).toBe(2);
    expect(sampleValue(m, 'kafka_topic_partition_oldest_offset', {topic: 'payments.v1', partition: '1'})).toBe(0);

    const lag = jsonLines((await runCli(['lag', '--output', 'json'], {env})).stdout).filter((l) => l.type === 'lag');
    const rows = lag.filter((l) => l.group === 'billing' || l.group === 'audit');
    expect(rows.map((r) => `${r.group}/${r.topic}/${r.partition}`).sort()).toEqual(['audit/payments.v1/0', 'audit/payments.v1/1', 'billing/orders.v1/0']);
    for (const r of rows) {
      const labels = {consumergroup: r.group as string, topic: r.topic as string, partition: String(r.partition)};
      const current = sampleValue(m, 'kafka_consumergroup_current_offset', labels);
      const groupLag = sampleValue(m, 'kafka_consumergroup_lag', labels);
      if (r.committed === null) {
        expect([current, groupLag]).toEqual([-1, -1]);
      } else {
        expect([current, groupLag]).toEqual([r.committed, r.lag]);
      }
    }
    expect(sampleValue(m, 'kafka_consumergroup_current_offset', {consumergroup: 'billing', topic: 'orders.v1', partition: '0'})).toBe(3);
    expect(sampleValue(m, 'kafka_consumergroup_lag', {consumergroup: 'billing', topic: 'orders.v1', partition: '0'})).toBe(2);
    expect(sampleValue(m, 'kafka_consumergroup_lag', {consumergroup: 'audit', topic: 'payments.v1', partition: '0'})).toBe(1);
    expect(sampleValue(m, 'kafka_consumergroup_lag_sum', {consumergroup: 'audit', topic: 'payments.v1'})).toBe(1);
    expect(sampleValue(m, 'kafka_consumergroup_members', {consumergroup: 'billing'})).toBe(0);

    // The broker's own metrics saw the same traffic.
    expect(sampleValue(m, 'kpat_requests_total', {api: 'Produce', error: 'NONE'})).toBeGreaterThanOrEqual(3);
    expect(sampleValue(m, 'kpat_topic_bytes_in_total', {topic: 'orders.v1'})).toBeGreaterThan(0);
    expect(sampleValue(m, 'kpat_topic_bytes_out_total', {topic: 'orders.v1'})).toBeGreaterThan(0);
    expect(sampleValue(m, 'kpat_log_fsync_duration_seconds_count')).toBeGreaterThan(0);
    expect(sampleValue(m, 'kpat_group_rebalances_total', {consumergroup: 'billing'})).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('counts requests that fail under their error name', async () => {
    await runCli(['topics', 'create', 'payments.v1', '--partitions', '2'], {env});
    const m = await scrape(metricsUrl);
    expect(sampleValue(m, 'kpat_requests_total', {api: 'CreateTopics', error: 'TOPIC_ALREADY_EXISTS'})).toBe(1);
  });

  it('answers 404 off /metrics and stops with kpat down', async () => {
    expect((await fetch(metricsUrl.replace('/metrics', '/'))).status).toBe(404);
    expect((await runCli(['down'], {env})).code).toBe(0);
    await expect(fetch(metricsUrl)).rejects.toThrow();
    expect((await runCli(['up', '--port', '0'], {env})).code).toBe(0);
  });
});
