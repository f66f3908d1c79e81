import {noSuchTopic} from '../../core/errors.js';
import type {EventStream} from '../../core/event-stream.js';
import {withAdmin} from '../../kafka/client.js';
import type {Connection} from '../../kafka/connection.js';
import {committedOffsets} from '../../kafka/groups.js';
import {readRecordBatches, type StartPosition} from '../../kafka/partition-reader.js';
import {Publisher, type OutgoingMessage} from '../../kafka/publisher.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {ensureTopics, type TopicSpec} from '../../kafka/topics.js';
import {TransactionalPublisher} from '../../kafka/transactional-publisher.js';
import type {RecordFilter} from '../record-filter.js';
import type {StoreChange} from '../state/windowed-store.js';
import {changelogConfigs, changelogMessages, changelogTopic, restoreChangelog, type TaskCheckpoint} from '../state/changelog.js';
import type {Aggregation} from './aggregations.js';
import type {WindowEvent, WindowRecordEvent} from './events.js';
import {WindowProcessor, type EmitMode} from './processor.js';
import {readRecord, type RecordReading} from './record-input.js';
import {lateMessage, resultMessage, tombstoneMessage} from './output-messages.js';
import {describeWindows, type WindowSpec} from './windows.js';

export interface WindowAggregationOptions<A> {
  conn: Connection;
  topic: string;
  windows: WindowSpec;
  aggregation: Aggregation<A>;
  emit: EmitMode;
  /** A JSON field to group by; default: the record key. */
  groupBy?: string;
  /** A JSON field with the event time; default: the record timestamp. */
  timeField?: string;
  /** Also write results here: key `key@start/end`, value {key, start, end, value}; replaced sessions get tombstones. */
  outputTopic?: string;
  /** Headers every record written to outputTopic carries (a scenario marks its run's results with its run id). */
  outputHeaders?: Record<string, string>;
  /** Also write late records here (as they came, with headers saying why). */
  lateTopic?: string;
  /**
   * Makes the run resumable: the store is backed by the changelog
   * `<appId>-<store>-changelog` and restored on start, and the input offsets are
   * committed for consumer group `appId` in the same transaction as the results,
   * the store's changes and its checkpoints. Without it a run keeps its state in
   * memory and commits nothing.
   */
  appId?: string;
  /** The store's name (in the changelog's name). Default "window-store". */
  storeName?: string;
  /** Where to start when nothing is committed: the earliest record, else only new ones. */
  fromBeginning?: boolean;
  /** Stop at the end offsets the input had when reading began. */
  untilEnd?: boolean;
  /** How often results are committed and handed out. Default 100 ms (Kafka Streams' exactly-once default). */
  commitIntervalMs?: number;
  /**
   * The record cache's size (Kafka Streams' statestore.cache.max.bytes): changed
   * windows are held until the next commit, so a window updated many times in one
   * commit writes one changelog record and, in update mode, one result with its
   * latest value. A full cache is flushed early, into the same transaction. 0 turns
   * it off: every change is written and emitted. Default 10 MiB, as Kafka Streams'.
   */
  cacheMaxBytes?: number;
  /**
   * Not Kafka's behaviour, off by default: after this long without records on a
   * partition, its stream time follows the wall clock, so windows of a quiet
   * stream still close. Results it closes say closedBy: 'wall-clock'.
   */
  wallClockCloseMs?: number;
  /**
   * Turns a record's value into JSON before it is read (Avro in the Confluent wire
   * format, through the schema registry); records written elsewhere (late records)
   * stay as they came.
   */
  decode?: (record: ConsumedRecord) => Promise<ConsumedRecord>;
  /** Records it refuses are skipped (a record-skipped event with its reason): they neither count in a window nor move stream time. */
  filter?: RecordFilter;
  events: EventStream<WindowEvent>;
  signal?: AbortSignal;
}

export interface WindowSummary {
  records: number;
  results: number;
  late: number;
  skipped: number;
  /** Windows still open at the end (in final mode their results are still to come). */
  openWindows: number;
  streamTimes: Record<number, number>;
}

export interface WindowSnapshot {
  open: Array<{key: string; start: number; end: number; value: unknown; partition: number; closesIn: number}>;
  openCount: number;
  streamTimes: Record<number, number>;
  /** Next offset per input partition. */
  positions: Record<number, number>;
  records: number;
  results: number;
  late: number;
  skipped: number;
}

interface PendingCommit<A> {
  events: WindowRecordEvent[];
  messages: OutgoingMessage[];
  changes: StoreChange<A>[];
  checkpoints: TaskCheckpoint[];
  positions: Map<number, number>;
  streamTimes: Record<number, number>;
  openWindows: number;
}

/** A window's current aggregate, as an interactive query answers it. */
export interface WindowValue {
  key: string;
  start: number;
  end: number;
  value: unknown;
  closed: boolean;
}

/**
 * Windowed aggregation over a topic (Kafka Streams' windowedBy().aggregate()),
 * with its state store, changelog and exactly-once commits. Events are handed
 * out only once their commit went through, so a crash never shows a result
 * twice: what the transaction did not commit is done again after the restart.
 */
export class WindowAggregation<A> {
  readonly processor: WindowProcessor<A>;
  private readonly changelog: string | null;
  private readonly storeName: string;
  private pending: WindowRecordEvent[] = [];
  private outgoing: OutgoingMessage[] = [];
  private readonly positions = new Map<number, number>();
  /** Positions as of the last commit taken (sent or on its way). */
  private takenPositions = new Map<number, number>();
  private inFlight = 0;
  private readonly checkpointed = new Map<number, number>();
  private current: ConsumedRecord | null = null;
  private readonly counts = {records: 0, results: 0, late: 0, skipped: 0};
  private readonly lastRecordAt = new Map<number, {wall: number; streamTime: number}>();
  private chain: Promise<void> = Promise.resolve();
  private lastCommitAt = performance.now();
  private failure: unknown = null;
  private partitions = 0;
  /** Changes a full cache flushed since the last commit taken: they go in the next one. */
  private flushed: StoreChange<A>[] = [];
  /** Set by crash(): reading stops, nothing more is committed. */
  private readonly killed = new AbortController();
  private txn: TransactionalPublisher | null = null;

  constructor(private readonly opts: WindowAggregationOptions<A>) {
    this.storeName = opts.storeName ?? 'window-store';
    this.changelog = opts.appId ? changelogTopic(opts.appId, this.storeName) : null;
    this.processor = new WindowProcessor({
      windows: opts.windows,
      aggregation: opts.aggregation,
      emit: opts.emit,
      sink: (e) => this.onEvent(e),
      cacheMaxBytes: opts.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES,
    });
  }

  /** Interactive query of the store: windows starting within [from, to], for one key or all (closed ones are those kept for their neighbours). */
  query(q: {key?: string; from?: number; to?: number} = {}): WindowValue[] {
    const store = this.processor.store;
    return store.query(q).map((w) => ({key: w.key, start: w.start, end: w.end, value: this.opts.aggregation.result(w.agg), closed: store.isClosed(w)}));
  }

  /**
   * What a live view shows between events: the open windows, soonest to close
   * first (closesIn = stream time still to go before the window closes), and
   * each task's stream time.
   */
  snapshot(limit = 200): WindowSnapshot {
    const store = this.processor.store;
    const times = this.processor.streamTimes();
    const open = store
      .query()
      .filter((w) => !store.isClosed(w))
      .map((w) => ({key: w.key, start: w.start, end: w.end, value: this.opts.aggregation.result(w.agg), partition: w.task, closesIn: w.closeAt - (times[w.task] ?? -Infinity)}))
      .sort((a, b) => a.closesIn - b.closesIn || (a.key < b.key ? -1 : 1));
    return {open: open.slice(0, limit), openCount: open.length, streamTimes: times, positions: Object.fromEntries(this.positions), ...this.counts};
  }

  async run(): Promise<WindowSummary> {
    const o = this.opts;
    this.partitions = await partitionCount(o.conn, o.topic);
    const companions: TopicSpec[] = [o.outputTopic, o.lateTopic].filter((t): t is string => t !== undefined).map((name) => ({name, partitions: this.partitions}));
    if (this.changelog) companions.push({name: this.changelog, partitions: this.partitions, configs: changelogConfigs(retentionOf(o.windows))});
    if (companions.length > 0) await ensureTopics(o.conn, companions);
    if (this.changelog) await this.restore(this.changelog);
    const resumed = o.appId ? await committedPositions(o.conn, o.appId, o.topic) : null;
    this.takenPositions = new Map(resumed ?? []);
    const otherwise: StartPosition = o.fromBeginning ? {kind: 'earliest'} : {kind: 'latest'};
    const start: StartPosition = resumed && resumed.size > 0 ? {kind: 'positions', positions: resumed, otherwise} : otherwise;

    const txn = o.appId ? await TransactionalPublisher.connect(o.conn, `${o.appId}-${this.storeName}`) : null;
    this.txn = txn;
    const publisher = !txn && companions.length > 0 ? await Publisher.connect(o.conn, 'window') : null;
    o.events.emit({
      type: 'window-started',
      at: Date.now(),
      topic: o.topic,
      partitions: this.partitions,
      windows: describeWindows(o.windows),
      aggregation: o.aggregation.name,
      emit: o.emit,
      changelog: this.changelog,
      resumedFrom: resumed && resumed.size > 0 ? Object.fromEntries(resumed) : null,
    });
    const interval = o.commitIntervalMs ?? 100;
    const timer = setInterval(() => {
      this.closeQuietPartitions();
      if (this.inFlight === 0) void this.schedule(txn, publisher);
    }, interval);
    try {
      const how: RecordReading = {groupBy: o.groupBy, timeField: o.timeField, readsValue: o.aggregation.readsValue, partitions: this.partitions};
      for await (const records of readRecordBatches(o.conn, {topic: o.topic, start, stopAtEnd: o.untilEnd, signal: o.signal ? AbortSignal.any([o.signal, this.killed.signal]) : this.killed.signal, positions: this.positions, partitionMaxBytes: 4 << 20})) {
        if (this.killed.signal.aborted) break;
        if (this.failure) throw this.failure;
        // A batch is processed whole, without a pause: the positions say "after this batch" until it is.
        if (o.decode) {
          const decoded = await Promise.all(records.map(o.decode));
          for (let i = 0; i < records.length; i++) this.handle(decoded[i]!, how, records[i]);
        } else {
          for (const record of records) this.handle(record, how);
        }
        // A fetch's batches arrive without a pause the timer could use, so the loop checks the
        // interval itself; past a commit's worth of events it waits for the commit rather than pile them up.
        // A commit is taken only once the one before it is through: meanwhile the cache
        // goes on collapsing updates, so a slow commit makes the next one smaller, not later.
        if (performance.now() - this.lastCommitAt >= interval) {
          if (this.inFlight > 0 && this.pending.length + this.flushed.length > 20_000) await this.chain;
          if (this.inFlight === 0) void this.schedule(txn, publisher);
        }
      }
      clearInterval(timer);
      if (!this.killed.signal.aborted) await this.schedule(txn, publisher);
      if (this.failure && !this.killed.signal.aborted) throw this.failure;
    } finally {
      clearInterval(timer);
      await this.chain.catch(() => {});
      await txn?.close();
      await publisher?.close();
    }
    return {...this.counts, openWindows: this.processor.store.size, streamTimes: this.processor.streamTimes()};
  }

  /** `original`: the record as it came, when `record` is its decoded form. */
  /**
   * Dies mid-stream as a killed process would, for crash tests and scenarios: no last
   * commit, and a commit in flight stops where it is, its transaction left open (the
   * next instance with this app id aborts it). Everything processed since the last
   * commit that went through is lost, and done again by the next instance from the
   * committed offsets and the changelog. run() then returns.
   */
  crash(): void {
    this.killed.abort();
    this.txn?.abandon();
  }

  private handle(record: ConsumedRecord, how: RecordReading, original = record): void {
    this.counts.records++;
    if (this.opts.filter && !this.opts.filter.accepts(record)) {
      this.onEvent({type: 'record-skipped', at: Date.now(), partition: record.partition, offset: record.offset, reason: this.opts.filter.reason});
      return;
    }
    const reading = readRecord(record, how);
    if (!reading.ok) {
      this.onEvent({type: 'record-skipped', at: Date.now(), partition: record.partition, offset: record.offset, reason: reading.reason});
      return;
    }
    this.current = original;
    this.processor.process(reading.input);
    this.current = null;
    if (this.processor.cacheFull) for (const c of this.processor.flush()) this.flushed.push(c);
    if (this.opts.wallClockCloseMs !== undefined) {
      const task = reading.input.task ?? record.partition;
      this.lastRecordAt.set(task, {wall: Date.now(), streamTime: this.processor.streamTime(task) ?? reading.input.timestamp});
    }
  }

  private onEvent(e: WindowRecordEvent): void {
    this.pending.push(e);
    const {outputTopic, lateTopic} = this.opts;
    switch (e.type) {
      case 'window-result':
        this.counts.results++;
        if (outputTopic) this.outgoing.push(resultMessage(outputTopic, e, this.opts.outputHeaders));
        break;
      case 'window-removed':
        if (outputTopic) this.outgoing.push(tombstoneMessage(outputTopic, e, this.opts.outputHeaders));
        break;
      case 'late-record':
        this.counts.late++;
        if (lateTopic && this.current) this.outgoing.push(lateMessage(lateTopic, this.current, e));
        break;
      case 'record-skipped':
        this.counts.skipped++;
        break;
    }
  }

  /** The opt-in wall-clock close: a partition quiet for wallClockCloseMs has its stream time follow the clock. */
  private closeQuietPartitions(): void {
    const idleMs = this.opts.wallClockCloseMs;
    if (idleMs === undefined) return;
    const now = Date.now();
    for (const [task, last] of this.lastRecordAt) {
      if (now - last.wall >= idleMs) this.processor.advance(task, last.streamTime + (now - last.wall));
    }
  }

  /**
   * Takes what the next commit carries now, between two records, and queues its
   * sending behind the commits before it: records go on being processed while it
   * is sent. The first failure stops the run.
   */
  private schedule(txn: TransactionalPublisher | null, publisher: Publisher | null): Promise<void> {
    const commit = this.killed.signal.aborted ? null : this.takeCommit();
    if (!commit) return this.chain;
    this.inFlight++;
    this.chain = this.chain.then(async () => {
      try {
        if (!this.failure) await this.send(commit, txn, publisher);
      } catch (error) {
        this.failure = error;
      } finally {
        this.inFlight--;
      }
    });
    return this.chain;
  }

  /** What changed since the last commit: events, messages, store changes, checkpoints and positions; null when nothing did. */
  private takeCommit(): PendingCommit<A> | null {
    this.lastCommitAt = performance.now();
    const positions = new Map(this.positions);
    const moved = [...positions].some(([p, o]) => this.takenPositions.get(p) !== o);
    const checkpoints: TaskCheckpoint[] = [];
    for (const [task, streamTime] of Object.entries(this.processor.streamTimes())) {
      if (this.checkpointed.get(Number(task)) === streamTime) continue;
      checkpoints.push({task: Number(task), streamTime, closedThrough: streamTime});
      this.checkpointed.set(Number(task), streamTime);
    }
    // The cache is flushed at every commit, as Kafka Streams flushes it: its results and changes go in this transaction.
    const drained = this.processor.flush();
    const changes = this.flushed.length === 0 ? drained : this.flushed.concat(drained);
    if (this.pending.length === 0 && this.outgoing.length === 0 && changes.length === 0 && checkpoints.length === 0 && !moved) return null;
    const commit = {events: this.pending, messages: this.outgoing, changes, checkpoints, positions, streamTimes: this.processor.streamTimes(), openWindows: this.processor.store.size};
    this.pending = [];
    this.outgoing = [];
    this.flushed = [];
    this.takenPositions = positions;
    return commit;
  }

  /**
   * One commit: results and late records to their topics, the store's changes
   * and changed checkpoints to the changelog, and the input positions for the
   * group, in one transaction; then its events are handed out.
   */
  private async send(c: PendingCommit<A>, txn: TransactionalPublisher | null, publisher: Publisher | null): Promise<void> {
    if (txn) {
      const changelog = this.changelog ? changelogMessages(this.changelog, this.partitions, c.changes, c.checkpoints) : [];
      await txn.commit([...c.messages, ...changelog], {groupId: this.opts.appId!, topic: this.opts.topic, offsets: c.positions});
    } else if (publisher) {
      await publisher.send(c.messages);
    }
    for (const e of c.events) this.opts.events.emit(e);
    this.opts.events.emit({
      type: 'window-committed',
      at: Date.now(),
      positions: Object.fromEntries(c.positions),
      streamTimes: c.streamTimes,
      results: c.events.filter((e) => e.type === 'window-result').length,
      changes: c.changes.length,
      openWindows: c.openWindows,
    });
  }

  private async restore(changelog: string): Promise<void> {
    const o = this.opts;
    const started = Date.now();
    const restored = await restoreChangelog<A>(o.conn, changelog, {
      signal: o.signal,
      onStart: (records) => o.events.emit({type: 'restore-started', at: Date.now(), changelog, records}),
      onProgress: (p) => o.events.emit({type: 'restore-progress', at: Date.now(), changelog, ...p}),
    });
    // Stream times first: windows their task had already closed come back closed, never emitted again.
    for (const cp of restored.checkpoints) {
      this.processor.restoreStreamTime(cp.task, Math.max(cp.streamTime, cp.closedThrough));
      this.checkpointed.set(cp.task, cp.streamTime);
    }
    for (const w of restored.windows) this.processor.restoreWindow(w);
    o.events.emit({
      type: 'restore-done',
      at: Date.now(),
      changelog,
      restored: restored.restored,
      windows: this.processor.store.size,
      streamTimes: this.processor.streamTimes(),
      ms: Date.now() - started,
    });
  }
}

/** How long the store keeps a window: its size (or gap, or difference) plus grace. */
function retentionOf(spec: WindowSpec): number {
  const span = spec.kind === 'tumbling' || spec.kind === 'hopping' ? spec.sizeMs : spec.kind === 'sliding' ? 3 * spec.differenceMs : 2 * spec.gapMs;
  return span + spec.graceMs;
}

/** Kafka Streams' default statestore.cache.max.bytes. */
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 * 1024;

async function partitionCount(conn: Connection, topic: string): Promise<number> {
  return withAdmin(conn, async (admin) => {
    if (!(await admin.listTopics()).includes(topic)) throw noSuchTopic(topic);
    const meta = await admin.fetchTopicMetadata({topics: [topic]});
    return meta.topics[0]?.partitions.length ?? 0;
  });
}

async function committedPositions(conn: Connection, groupId: string, topic: string): Promise<Map<number, number>> {
  const committed = await withAdmin(conn, (admin) => committedOffsets(admin, groupId, [topic]));
  return new Map(committed.flatMap((c) => (c.offset === null ? [] : [[c.partition, c.offset] as [number, number]])));
}
