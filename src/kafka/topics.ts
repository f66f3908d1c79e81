import kafkajs from 'kafkajs';

// kafkajs is CommonJS: Node's ESM loader sees only its default export.
const {ConfigResourceTypes} = kafkajs;
import type {Admin} from 'kafkajs';
import {withAdmin} from './client.js';
import {CLEANER_ENTRY, CLEANER_ENTRY_NAMES} from '../broker/log/cleaner-report.js';
import type {Connection} from './connection.js';
import {OperationError, noSuchTopic} from '../core/errors.js';

export interface TopicSummary {
  name: string;
  partitions: number;
  /** Sum over partitions of (end offset − log start offset): records currently retained. */
  records: number;
  endOffsets: number[];
}

export interface PartitionDetail {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  startOffset: number;
  endOffset: number;
}

/** The embedded broker's log cleaner on a compacted topic (absent on other brokers and topics). */
export interface CleanerDetail {
  dirtyBytes: number;
  /** Highest dirty/sealed bytes ratio over the partitions: the cleaner runs at min.cleanable.dirty.ratio. */
  dirtyRatio: number;
  /** Epoch ms of the last clean, null if never cleaned. */
  lastCleanedMs: number | null;
}

export interface TopicDetail {
  name: string;
  partitions: PartitionDetail[];
  configs: Array<{name: string; value: string | null; isDefault: boolean}>;
  cleaner?: CleanerDetail;
}

const isInternal = (name: string) => name.startsWith('__');

export async function listTopics(conn: Connection, opts: {includeInternal?: boolean} = {}): Promise<TopicSummary[]> {
  return withAdmin(conn, async (admin) => {
    const names = (await admin.listTopics()).filter((n) => opts.includeInternal || !isInternal(n)).sort();
    const result: TopicSummary[] = [];
    for (const name of names) {
      const offsets = (await admin.fetchTopicOffsets(name)).sort((a, b) => a.partition - b.partition);
      result.push({
        name,
        partitions: offsets.length,
        records: offsets.reduce((sum, o) => sum + (Number(o.high) - Number(o.low)), 0),
        endOffsets: offsets.map((o) => Number(o.high)),
      });
    }
    return result;
  });
}

export async function createTopic(
  conn: Connection,
  spec: {name: string; partitions: number; replicationFactor?: number; configs: Record<string, string>; ifNotExists?: boolean},
): Promise<{created: boolean}> {
  return withAdmin(conn, async (admin) => {
    try {
      const created = await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: spec.name,
            numPartitions: spec.partitions,
            replicationFactor: spec.replicationFactor ?? -1,
            configEntries: Object.entries(spec.configs).map(([name, value]) => ({name, value})),
          },
        ],
      });
      if (!created && !spec.ifNotExists) throw new OperationError(`topic ${spec.name} already exists — pick another name or pass --if-not-exists`);
      return {created};
    } catch (error) {
      const e = error as Error & {errors?: Array<{message?: string; type?: string}>};
      const detail = e.errors?.[0];
      if (detail?.type === 'TOPIC_ALREADY_EXISTS') {
        if (spec.ifNotExists) return {created: false};
        throw new OperationError(`topic ${spec.name} already exists — pick another name or pass --if-not-exists`);
      }
      if (detail?.type === 'INVALID_CONFIG') {
        const given = Object.entries(spec.configs).map(([k, v]) => `${k}=${v}`).join(', ');
        throw new OperationError(`cannot create ${spec.name}: the cluster rejected its configs (${given}) — check each name and value`);
      }
      if (detail) throw new OperationError(`cannot create ${spec.name}: ${detail.message ?? detail.type}`);
      throw error;
    }
  });
}

export async function deleteTopic(conn: Connection, name: string): Promise<void> {
  await withAdmin(conn, async (admin) => {
    const existing = await admin.listTopics();
    if (!existing.includes(name)) throw noSuchTopic(name);
    await admin.deleteTopics({topics: [name], timeout: 10_000});
  });
}

export async function describeTopic(conn: Connection, name: string): Promise<TopicDetail> {
  return withAdmin(conn, async (admin) => {
    const existing = await admin.listTopics();
    if (!existing.includes(name)) throw noSuchTopic(name);
    const meta = await admin.fetchTopicMetadata({topics: [name]});
    const offsets = await admin.fetchTopicOffsets(name);
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{type: ConfigResourceTypes.TOPIC, name}],
    });
    const byPartition = new Map(offsets.map((o) => [o.partition, o]));
    const partitions = (meta.topics[0]?.partitions ?? [])
      .map((p) => ({
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        startOffset: Number(byPartition.get(p.partitionId)?.low ?? 0),
        endOffset: Number(byPartition.get(p.partitionId)?.high ?? 0),
      }))
      .sort((a, b) => a.partition - b.partition);
    const entries = configs.resources[0]?.configEntries ?? [];
    const cleaner = await describeCleaner(admin, name);
    return {
      name,
      partitions,
      configs: entries
        .map((c) => ({name: c.configName, value: c.configValue, isDefault: c.isDefault}))
        .sort((a, b) => a.name.localeCompare(b.name)),
      ...(cleaner ? {cleaner} : {}),
    };
  });
}

/** Asked for by name: the embedded broker answers these for compacted topics, other brokers nothing. */
async function describeCleaner(admin: Admin, name: string): Promise<CleanerDetail | undefined> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{type: ConfigResourceTypes.TOPIC, name, configNames: [...CLEANER_ENTRY_NAMES]}],
  });
  const values = new Map((described.resources[0]?.configEntries ?? []).map((c) => [c.configName, Number(c.configValue)]));
  const dirtyBytes = values.get(CLEANER_ENTRY.dirtyBytes);
  const dirtyRatio = values.get(CLEANER_ENTRY.dirtyRatio);
  const lastCleanedMs = values.get(CLEANER_ENTRY.lastCleanedMs);
  if (dirtyBytes === undefined || dirtyRatio === undefined || lastCleanedMs === undefined) return undefined;
  return {dirtyBytes, dirtyRatio, lastCleanedMs: lastCleanedMs >= 0 ? lastCleanedMs : null};
}

export interface TopicSpec {
  name: string;
  partitions: number;
  configs?: Record<string, string>;
}

/**
 * Creates the topics that do not exist yet (leaving existing ones as they are)
 * and returns the partition count of every topic, so callers can check that a
 * companion topic (retry, dead-letter) has at least as many as its source.
 */
export async function ensureTopics(conn: Connection, specs: TopicSpec[]): Promise<Map<string, number>> {
  return withAdmin(conn, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          configEntries: Object.entries(s.configs ?? {}).map(([name, value]) => ({name, value})),
        })),
      });
    }
    const meta = await admin.fetchTopicMetadata({topics: specs.map((s) => s.name)});
    return new Map(meta.topics.map((t) => [t.name, t.partitions.length]));
  });
}
