import {randomUUID} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync} from 'node:fs';
import {join} from 'node:path';
import {z} from 'zod';
import type {BrokerConfig} from './config.js';
import {LOCK_FILE} from './data-dir-lock.js';
import {CREDENTIALS_FILE} from './security/credentials.js';
import {ACLS_FILE} from './security/authorizer.js';
import {PartitionLog, type LogConfig} from './log/index.js';
import {FdPool} from './log/fd-pool.js';
import {LogCleanerScheduler} from './log/cleaner-scheduler.js';
import {isDeletePolicy} from './log/compaction-policy.js';
import {ErrorCode, KafkaProtocolError} from './protocol/errors.js';
import {topicConfigValue, validateTopicConfigs} from './topic-config.js';
import {parsePartitionDirName, partitionDirName, validateTopicName} from './topic-names.js';

const MANIFEST = 'topics.json';

const ManifestSchema = z.object({
  version: z.literal(1),
  topics: z.record(
    z.string(),
    z.object({id: z.string(), partitions: z.number().int().min(1), configs: z.record(z.string(), z.string())}),
  ),
});

export interface Topic {
  name: string;
  id: string;
  configs: Record<string, string>;
  partitions: PartitionLog[];
}

type Logger = (line: string) => void;

/**
 * Topics and their partition logs, persisted under the data dir. The manifest
 * (topics.json) is the source of truth: it is written after partition folders
 * are created and before they are removed, so a folder not in it is debris of an
 * interrupted create or delete and is cleared on start.
 */
export class TopicStore {
  private readonly topics = new Map<string, Topic>();
  /** Names whose creation is under way (their logs are being opened). */
  private readonly creating = new Set<string>();
  /** Every partition's segment files share this bounded set of descriptors. */
  readonly files: FdPool;
  readonly cleaner: LogCleanerScheduler;
  /** Told each log fsync round's duration in seconds (the metrics endpoint sets it). */
  onFsync: (seconds: number) => void = () => {};

  private constructor(
    private readonly config: BrokerConfig,
    private readonly logger: Logger,
  ) {
    this.files = new FdPool(config.maxOpenLogFiles);
    this.cleaner = new LogCleanerScheduler(() => this.list(), (name, configs) => topicConfigValue(name, configs, this.config), logger, {
      swapDelayMs: config.logCleanerSwapDelayMs,
    });
  }

  static async open(config: BrokerConfig, logger: Logger): Promise<TopicStore> {
    const store = new TopicStore(config, logger);
    await store.load();
    return store;
  }

  private get dataDir(): string {
    return this.config.dataDir;
  }

  private async load(): Promise<void> {
    mkdirSync(this.dataDir, {recursive: true});
    const manifestPath = join(this.dataDir, MANIFEST);
    const entries = readdirSync(this.dataDir);
    if (!existsSync(manifestPath)) {
      // Users may be written before the first start (`kpat up --user` does, so no password reaches the broker's command line).
      if (entries.some((e) => !e.startsWith(LOCK_FILE) && e !== CREDENTIALS_FILE && e !== ACLS_FILE)) {
        throw new Error(`data dir ${this.dataDir} is not empty and holds no kpat data (no ${MANIFEST}) — pick an empty or kpat-owned --data-dir`);
      }
      this.writeManifest();
    }
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
    for (const [name, t] of Object.entries(manifest.topics)) {
      const topic: Topic = {name, id: t.id, configs: t.configs, partitions: []};
      for (let p = 0; p < t.partitions; p++) topic.partitions.push(await this.openLog(topic, p));
      this.topics.set(name, topic);
    }
    for (const entry of entries) this.clearDebris(entry);
  }

  private clearDebris(entry: string): void {
    if (entry.endsWith('.deleted')) {
      rmSync(join(this.dataDir, entry), {recursive: true, force: true});
      return;
    }
    const parsed = parsePartitionDirName(entry);
    if (!parsed) return;
    const topic = this.topics.get(parsed.topic);
    if (!topic || parsed.partition >= topic.partitions.length) {
      this.logger(`removing ${entry}: its topic or partition is not in ${MANIFEST} (an interrupted create or delete)`);
      rmSync(join(this.dataDir, entry), {recursive: true, force: true});
    }
  }

  private writeManifest(): void {
    const topics: z.infer<typeof ManifestSchema>['topics'] = {};
    for (const t of this.topics.values()) topics[t.name] = {id: t.id, partitions: t.partitions.length, configs: t.configs};
    const path = join(this.dataDir, MANIFEST);
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, JSON.stringify({version: 1, topics}, null, 2));
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  }

  logConfigFor(configs: Record<string, string>): LogConfig {
    const v = (name: string) => topicConfigValue(name, configs, this.config);
    return {
      segmentBytes: Number(v('segment.bytes')),
      segmentMs: Number(v('segment.ms')),
      indexIntervalBytes: Number(v('index.interval.bytes')),
      retentionMs: Number(v('retention.ms')),
      retentionBytes: Number(v('retention.bytes')),
      timestampType: v('message.timestamp.type') === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime',
      fsync: this.config.fsync,
      maxMessageBytes: Number(v('max.message.bytes')),
    };
  }

  private openLog(topic: Topic, partition: number): Promise<PartitionLog> {
    const dir = join(this.dataDir, partitionDirName(topic.name, partition));
    return PartitionLog.open(dir, this.logConfigFor(topic.configs), (line) => this.logger(`[${topic.name}-${partition}] ${line}`), this.files, (s) => this.onFsync(s));
  }

  /**
   * Opens partitions from..to-1 into topic.partitions, all or none: on a failure (disk full,
   * out of file descriptors …) the ones made are closed and their folders removed, and the
   * error says why.
   */
  private async openPartitions(topic: Topic, from: number, to: number): Promise<void> {
    const opened: PartitionLog[] = [];
    try {
      for (let p = from; p < to; p++) opened.push(await this.openLog(topic, p));
    } catch (error) {
      await this.discardPartitions(topic, from, to, opened);
      throw storageFailure(`could not create partition ${from + opened.length} of ${topic.name}`, error);
    }
    topic.partitions.push(...opened);
  }

  private async discardPartitions(topic: Topic, from: number, to: number, opened: PartitionLog[]): Promise<void> {
    await Promise.all(opened.map((log) => log.close().catch(() => undefined)));
    for (let p = from; p < to; p++) rmSync(join(this.dataDir, partitionDirName(topic.name, p)), {recursive: true, force: true});
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  /** Checks a create request without applying it (CreateTopics validate_only uses this alone). */
  validateCreate(name: string, partitions: number, configs: Record<string, string>): void {
    validateTopicName(name);
    if (this.topics.has(name) || this.creating.has(name)) {
      throw new KafkaProtocolError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    }
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new KafkaProtocolError(ErrorCode.INVALID_PARTITIONS, `Number of partitions must be at least 1, got ${partitions}.`);
    }
    if (partitions > 10_000) throw new KafkaProtocolError(ErrorCode.INVALID_PARTITIONS, `At most 10000 partitions per topic, got ${partitions}.`);
    validateTopicConfigs(configs);
  }

  async create(name: string, partitions: number, configs: Record<string, string>): Promise<Topic> {
    this.validateCreate(name, partitions, configs);
    const topic: Topic = {name, id: randomUUID(), configs: {...configs}, partitions: []};
    // Folders first, manifest last: a crash in between leaves folders the next start clears as debris.
    this.creating.add(name);
    try {
      await this.openPartitions(topic, 0, partitions);
      this.topics.set(name, topic);
      try {
        this.writeManifest();
      } catch (error) {
        this.topics.delete(name);
        await this.discardPartitions(topic, 0, partitions, topic.partitions.splice(0));
        throw storageFailure(`could not create topic ${name}`, error);
      }
    } finally {
      this.creating.delete(name);
    }
    this.logger(`created topic ${name} with ${partitions} partition(s)`);
    return topic;
  }

  async delete(name: string): Promise<void> {
    const topic = this.topics.get(name);
    if (!topic) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    this.topics.delete(name);
    this.writeManifest();
    const stamp = Date.now();
    await Promise.all(
      topic.partitions.map(async (log, p) => {
        await log.close();
        const dir = join(this.dataDir, partitionDirName(name, p));
        const doomed = `${dir}.${stamp}.deleted`;
        try {
          renameSync(dir, doomed);
          rmSync(doomed, {recursive: true, force: true});
        } catch (error) {
          this.logger(`could not remove ${dir}: ${(error as Error).message}`);
        }
      }),
    );
    this.logger(`deleted topic ${name}`);
  }

  validateAddPartitions(name: string, count: number): Topic {
    const topic = this.topics.get(name);
    if (!topic) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    if (count <= topic.partitions.length) {
      throw new KafkaProtocolError(
        ErrorCode.INVALID_PARTITIONS,
        `Topic currently has ${topic.partitions.length} partitions, ${count} would not be an increase.`,
      );
    }
    if (count > 10_000) throw new KafkaProtocolError(ErrorCode.INVALID_PARTITIONS, `At most 10000 partitions per topic, got ${count}.`);
    return topic;
  }

  async addPartitions(name: string, count: number): Promise<void> {
    const topic = this.validateAddPartitions(name, count);
    const before = topic.partitions.length;
    const grown: Topic = {...topic, partitions: []};
    await this.openPartitions(grown, before, count);
    topic.partitions.push(...grown.partitions);
    try {
      this.writeManifest();
    } catch (error) {
      topic.partitions.splice(before);
      await this.discardPartitions(topic, before, count, grown.partitions);
      throw storageFailure(`could not add partitions to ${name}`, error);
    }
    this.logger(`topic ${name}: partitions ${before} -> ${count}`);
  }

  /** AlterConfigs semantics: the given set replaces the topic's overrides. */
  replaceConfigs(name: string, configs: Record<string, string>, validateOnly: boolean): void {
    const topic = this.topics.get(name);
    if (!topic) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    validateTopicConfigs(configs);
    if (validateOnly) return;
    topic.configs = {...configs};
    this.writeManifest();
    const logConfig = this.logConfigFor(topic.configs);
    for (const log of topic.partitions) log.updateConfig(logConfig);
  }

  enforceRetention(now: number): void {
    for (const topic of this.topics.values()) {
      // cleanup.policy=compact alone keeps data forever (the cleaner bounds it), as in Kafka.
      if (!isDeletePolicy(topicConfigValue('cleanup.policy', topic.configs, this.config))) continue;
      for (const log of topic.partitions) {
        try {
          log.enforceRetention(now);
        } catch (error) {
          this.logger(`retention on ${log.dir} failed: ${(error as Error).message}`);
        }
      }
    }
  }

  sizeBytes(): number {
    let total = 0;
    for (const topic of this.topics.values()) for (const log of topic.partitions) total += log.sizeBytes;
    return total;
  }

  async flushAll(): Promise<void> {
    await Promise.all(this.list().flatMap((t) => t.partitions.map((l) => l.flush())));
  }

  async close(): Promise<void> {
    await this.cleaner.stop();
    await Promise.all(this.list().flatMap((t) => t.partitions.map((l) => l.close())));
  }
}

/** A failure of the broker's own storage, reported to the client with its cause. */
function storageFailure(what: string, error: unknown): KafkaProtocolError {
  if (error instanceof KafkaProtocolError) return error;
  const cause = error as NodeJS.ErrnoException;
  return new KafkaProtocolError(ErrorCode.UNKNOWN_SERVER_ERROR, `${what}: ${cause.code ? `${cause.code} ` : ''}${cause.message}`);
}
