import type {Admin} from 'kafkajs';
import {createKafka, kafkaErrorType, translateKafkaError} from './client.js';
import type {Connection} from './connection.js';
import {noSuchPartition, noSuchTopic} from '../core/errors.js';
import {groupsOnTopic, topicLag, type GroupDetail, type PartitionLag, type PartitionOffsets} from './groups.js';
import {DEFAULT_HEALTH_WINDOW, evaluateHealth, worstHealth, type Health, type HealthWindow, type OffsetSample} from './health.js';
import {LiveValue} from '../core/event-stream.js';
import {keepWindow, ratePerSecond} from './sample-window.js';

/** One partition of the watched topic. */
export interface PartitionStats {
  partition: number;
  /** Log start offset: the oldest retained record. */
  start: number;
  /** End offset (high watermark). */
  end: number;
  /** Records appended per second over the rate window. */
  rate: number;
}

/** One group on one partition: Kafka's lag plus what the recent window says about it. */
export interface GroupPartitionLag extends PartitionLag {
  /** Lag at each poll in the health window, oldest first: the sparkline's data. */
  trend: number[];
  /** null while nothing is committed here or too little has been seen. */
  health: Health | null;
}

export interface GroupLagSnapshot {
  groupId: string;
  /** Kafka's group state (Empty, Stable, …; Dead for a group that does not exist). */
  state: string;
  members: number;
  totalLag: number;
  /** The worst partition's health. */
  health: Health | null;
  partitions: GroupPartitionLag[];
}

export interface TopicSnapshot {
  topic: string;
  /** When it was polled; 0 until the first poll succeeds. */
  at: number;
  partitions: PartitionStats[];
  groups: GroupLagSnapshot[];
  /** Records appended per second, all watched partitions together. */
  rate: number;
}

export interface ConnectionStatus {
  brokers: string[];
  /** retrying: the last poll failed (broker gone, topic deleted …); the next one tries again. */
  state: 'connecting' | 'connected' | 'retrying';
  /** Why it is retrying, naming the fix. */
  error?: string;
}

export interface TopicPollerOptions {
  topic: string;
  /** Groups to follow, in this order. Default: every group committed on or assigned the topic, looked up again every few seconds. */
  groups?: string[];
  /** With discovery: only these of the groups found (a scenario's own, not every group that ever committed on the topic). */
  onlyGroups?: readonly string[];
  /** Default: every partition. */
  partitions?: number[];
  intervalMs?: number;
  health?: HealthWindow;
  /** Span of the records/s average. */
  rateWindowMs?: number;
  discoverEveryMs?: number;
  /** The clock; tests pass their own. */
  now?: () => number;
}

const emptySnapshot = (topic: string): TopicSnapshot => ({topic, at: 0, partitions: [], groups: [], rate: 0});

/**
 * Polls a topic's offsets and its groups' committed offsets, and keeps the history that
 * rates, trends and health need. Read-only: it joins no group and commits nothing.
 * Views subscribe to `snapshots` and `connection`; they never see the client.
 */
export class TopicPoller {
  readonly snapshots: LiveValue<TopicSnapshot>;
  readonly connection: LiveValue<ConnectionStatus>;

  private readonly intervalMs: number;
  private readonly health: HealthWindow;
  private readonly rateWindowMs: number;
  private readonly discoverEveryMs: number;
  private readonly now: () => number;
  private admin: Admin | null = null;
  private discovered: {at: number; groups: string[]} | null = null;
  private readonly ends = new Map<number, Array<{at: number; end: number}>>();
  private readonly commits = new Map<string, OffsetSample[]>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly conn: Connection,
    private readonly opts: TopicPollerOptions,
  ) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.health = opts.health ?? DEFAULT_HEALTH_WINDOW;
    this.rateWindowMs = opts.rateWindowMs ?? 5000;
    this.discoverEveryMs = opts.discoverEveryMs ?? 5000;
    this.now = opts.now ?? Date.now;
    this.snapshots = new LiveValue(emptySnapshot(opts.topic));
    this.connection = new LiveValue<ConnectionStatus>({brokers: conn.brokers, state: 'connecting'});
  }

  /** Polls every interval, the first one interval from now, until stop(). */
  start(): void {
    const next = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.poll().catch(() => {});
        void this.running.then(next);
      }, this.intervalMs);
    };
    next();
  }

  /** Stops polling and disconnects; the last snapshot stays readable. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.admin?.disconnect().catch(() => {});
    this.admin = null;
  }

  /**
   * One poll. On success publishes and returns the new snapshot; on failure publishes a
   * retrying status, drops the client (the next poll connects afresh) and rethrows.
   */
  async poll(): Promise<TopicSnapshot> {
    let polled: {offsets: PartitionOffsets[]; groups: GroupDetail[]};
    try {
      this.admin ??= await this.connect();
      polled = await this.topicLag(this.admin);
    } catch (error) {
      const admin = this.admin;
      this.admin = null;
      await admin?.disconnect().catch(() => {});
      const reason = translateKafkaError(error, this.conn);
      const status = this.connection.current();
      if (status.state !== 'retrying' || status.error !== reason.message) {
        this.connection.set({brokers: this.conn.brokers, state: 'retrying', error: reason.message});
      }
      throw reason;
    }
    if (this.connection.current().state !== 'connected') this.connection.set({brokers: this.conn.brokers, state: 'connected'});
    const snapshot = this.record(this.now(), polled.offsets, polled.groups);
    this.snapshots.set(snapshot);
    return snapshot;
  }

  private async connect(): Promise<Admin> {
    const admin = createKafka(this.conn, {fast: true, clientIdSuffix: 'watch'}).admin();
    await admin.connect();
    return admin;
  }

  private async topicLag(admin: Admin): Promise<{offsets: PartitionOffsets[]; groups: GroupDetail[]}> {
    const {topic, partitions: wanted} = this.opts;
    let polled: {offsets: PartitionOffsets[]; groups: GroupDetail[]};
    try {
      polled = await topicLag(admin, topic, await this.groupIds(admin));
    } catch (error) {
      if (kafkaErrorType(error) === 'UNKNOWN_TOPIC_OR_PARTITION') throw noSuchTopic(topic);
      throw error;
    }
    if (!wanted) return polled;
    const all = polled.offsets;
    for (const p of wanted) {
      if (!all.some((o) => o.partition === p)) throw noSuchPartition(topic, p, all.length);
    }
    return {...polled, offsets: all.filter((o) => wanted.includes(o.partition))};
  }

  private async groupIds(admin: Admin): Promise<string[]> {
    if (this.opts.groups) return this.opts.groups;
    const now = this.now();
    if (!this.discovered || now - this.discovered.at >= this.discoverEveryMs) {
      const found = await groupsOnTopic(admin, this.opts.topic);
      const only = this.opts.onlyGroups;
      this.discovered = {at: now, groups: only ? found.filter((g) => only.includes(g)) : found};
    }
    return this.discovered.groups;
  }

  /** Adds this poll to the histories and derives rates, trends and health from them. */
  private record(now: number, offsets: PartitionOffsets[], details: GroupDetail[]): TopicSnapshot {
    const wanted = new Set(offsets.map((o) => o.partition));
    const partitions = offsets.map((o) => {
      const history = keepWindow([...(this.ends.get(o.partition) ?? []), {at: now, end: o.end}], now, this.rateWindowMs);
      this.ends.set(o.partition, history);
      return {partition: o.partition, start: o.start, end: o.end, rate: ratePerSecond(history, (s) => s.end)};
    });

    const seen = new Set<string>();
    const groups = details.map((g) => {
      const rows = g.partitions
        .filter((p) => wanted.has(p.partition))
        .map((p) => {
          const key = `${g.groupId}\u0000${p.partition}`;
          seen.add(key);
          if (p.committed === null) {
            this.commits.delete(key);
            return {...p, trend: [], health: null};
          }
          const history = keepWindow([...(this.commits.get(key) ?? []), {at: now, committed: p.committed, lag: p.lag}], now, this.health.windowMs);
          this.commits.set(key, history);
          return {...p, trend: history.map((s) => s.lag), health: evaluateHealth(history, now, this.health)};
        });
      return {
        groupId: g.groupId,
        state: g.state,
        members: g.members.length,
        totalLag: rows.reduce((sum, p) => sum + p.lag, 0),
        health: worstHealth(rows.map((p) => p.health)),
        partitions: rows,
      };
    });
    for (const key of this.commits.keys()) if (!seen.has(key)) this.commits.delete(key);

    return {topic: this.opts.topic, at: now, partitions, groups, rate: partitions.reduce((sum, p) => sum + p.rate, 0)};
  }
}
