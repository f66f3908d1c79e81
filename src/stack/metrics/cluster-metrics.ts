/**
 * Cluster metrics under kafka_exporter's names and labels (github.com/danielqsj/kafka_exporter),
 * so its Grafana dashboards and alerts work on a `kpat up` stack unchanged. Computed from the
 * broker's own state when Prometheus scrapes: nothing is kept between scrapes.
 *
 * Consumer groups follow kafka_exporter's rules: a group's topic appears once the group has
 * committed to any of its partitions; a partition with no commit shows current offset -1 and
 * lag -1 (so it can be alerted on), and is left out of the lag sum. Lag itself is kpat's one
 * formula (core/lag.ts), the same `kpat lag` uses.
 */
import {Gauge, type Registry} from 'prom-client';
import type {BrokerContext} from '../../broker/apis/types.js';
import {partitionLag} from '../../core/lag.js';

type Labels<N extends string> = Record<N, string | number>;

/** A gauge whose every value is recomputed at scrape time by `fill`. */
function scrapeGauge<N extends string>(registry: Registry, name: string, help: string, labelNames: readonly N[], fill: (set: (labels: Labels<N>, value: number) => void) => void): void {
  new Gauge<N>({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      fill((labels, value) => (labelNames.length === 0 ? this.set(value) : this.set(labels, value)));
    },
  });
}

interface GroupTopicRow {
  consumergroup: string;
  topic: string;
  partition: number;
  current: number;
  lag: number;
}

/** Per group, topic and partition: what kafka_exporter reports (see the header comment). */
export function groupOffsetRows(ctx: BrokerContext): GroupTopicRow[] {
  const rows: GroupTopicRow[] = [];
  for (const {groupId} of ctx.groups.list()) {
    const committed = new Map<string, Map<number, number>>();
    for (const c of ctx.groups.committed(groupId, null)) {
      if (!c.committed) continue;
      let byPartition = committed.get(c.topic);
      if (!byPartition) committed.set(c.topic, (byPartition = new Map()));
      byPartition.set(c.partition, c.committed.offset);
    }
    for (const [topicName, byPartition] of [...committed].sort(([a], [b]) => a.localeCompare(b))) {
      const topic = ctx.topics.get(topicName);
      if (!topic) continue;
      topic.partitions.forEach((log, partition) => {
        const offset = byPartition.get(partition);
        if (offset === undefined) {
          rows.push({consumergroup: groupId, topic: topicName, partition, current: -1, lag: -1});
          return;
        }
        const {lag} = partitionLag({committed: offset, start: log.logStartOffset, end: log.logEndOffset});
        rows.push({consumergroup: groupId, topic: topicName, partition, current: offset, lag});
      });
    }
  }
  return rows;
}

export function registerClusterMetrics(registry: Registry, ctx: BrokerContext): void {
  const nodeId = ctx.config.nodeId;
  const topics = () => ctx.topics.list();
  const eachPartition = (set: (labels: Labels<'topic' | 'partition'>, value: number) => void, value: (log: ReturnType<typeof topics>[number]['partitions'][number]) => number) => {
    for (const t of topics()) t.partitions.forEach((log, partition) => set({topic: t.name, partition}, value(log)));
  };

  scrapeGauge(registry, 'kafka_brokers', 'Number of Brokers in the Kafka Cluster.', [], (set) => set({}, 1));
  scrapeGauge(registry, 'kafka_broker_info', 'Information about the Kafka Broker.', ['address', 'id'], (set) =>
    set({address: `${ctx.advertised.host}:${ctx.advertised.port}`, id: nodeId}, nodeId),
  );
  scrapeGauge(registry, 'kafka_topic_partitions', 'Number of partitions for this Topic', ['topic'], (set) => {
    for (const t of topics()) set({topic: t.name}, t.partitions.length);
  });
  scrapeGauge(registry, 'kafka_topic_partition_current_offset', 'Current Offset of a Broker at Topic/Partition', ['topic', 'partition'], (set) => eachPartition(set, (log) => log.logEndOffset));
  scrapeGauge(registry, 'kafka_topic_partition_oldest_offset', 'Oldest Offset of a Broker at Topic/Partition', ['topic', 'partition'], (set) => eachPartition(set, (log) => log.logStartOffset));
  // One node: it leads every partition, which has one replica, always in sync.
  scrapeGauge(registry, 'kafka_topic_partition_leader', 'Leader Broker ID of this Topic/Partition', ['topic', 'partition'], (set) => eachPartition(set, () => nodeId));
  scrapeGauge(registry, 'kafka_topic_partition_replicas', 'Number of Replicas for this Topic/Partition', ['topic', 'partition'], (set) => eachPartition(set, () => 1));
  scrapeGauge(registry, 'kafka_topic_partition_in_sync_replica', 'Number of In-Sync Replicas for this Topic/Partition', ['topic', 'partition'], (set) => eachPartition(set, () => 1));
  scrapeGauge(registry, 'kafka_topic_partition_leader_is_preferred', '1 if Topic/Partition is using the Preferred Broker', ['topic', 'partition'], (set) => eachPartition(set, () => 1));
  scrapeGauge(registry, 'kafka_topic_partition_under_replicated_partition', '1 if Topic/Partition is under Replicated', ['topic', 'partition'], (set) => eachPartition(set, () => 0));

  scrapeGauge(registry, 'kafka_consumergroup_current_offset', 'Current Offset of a ConsumerGroup at Topic/Partition', ['consumergroup', 'topic', 'partition'], (set) => {
    for (const r of groupOffsetRows(ctx)) set({consumergroup: r.consumergroup, topic: r.topic, partition: r.partition}, r.current);
  });
  const sums = (pick: (r: GroupTopicRow) => number, include: (r: GroupTopicRow) => boolean) => {
    const out = new Map<string, {consumergroup: string; topic: string; sum: number}>();
    for (const r of groupOffsetRows(ctx)) {
      const key = `${r.consumergroup}\u0000${r.topic}`;
      const entry = out.get(key) ?? {consumergroup: r.consumergroup, topic: r.topic, sum: 0};
      if (include(r)) entry.sum += pick(r);
      out.set(key, entry);
    }
    return [...out.values()];
  };
  // kafka_exporter sums current offsets as they are (-1 included) and lag over committed partitions only.
  scrapeGauge(registry, 'kafka_consumergroup_current_offset_sum', 'Current Offset of a ConsumerGroup at Topic for all partitions', ['consumergroup', 'topic'], (set) => {
    for (const s of sums((r) => r.current, () => true)) set({consumergroup: s.consumergroup, topic: s.topic}, s.sum);
  });
  scrapeGauge(registry, 'kafka_consumergroup_lag', 'Current Approximate Lag of a ConsumerGroup at Topic/Partition', ['consumergroup', 'topic', 'partition'], (set) => {
    for (const r of groupOffsetRows(ctx)) set({consumergroup: r.consumergroup, topic: r.topic, partition: r.partition}, r.lag);
  });
  scrapeGauge(registry, 'kafka_consumergroup_lag_sum', 'Current Approximate Lag of a ConsumerGroup at Topic for all partitions', ['consumergroup', 'topic'], (set) => {
    for (const s of sums((r) => r.lag, (r) => r.current !== -1)) set({consumergroup: s.consumergroup, topic: s.topic}, s.sum);
  });
  scrapeGauge(registry, 'kafka_consumergroup_members', 'Amount of members in a consumer group', ['consumergroup'], (set) => {
    for (const {groupId} of ctx.groups.list()) set({consumergroup: groupId}, ctx.groups.describe(groupId).members.length);
  });
}
