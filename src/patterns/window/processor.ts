import {WindowedStore, type StoreChange, type WindowEntry} from '../state/windowed-store.js';
import {UnusableValueError, type Aggregation} from './aggregations.js';
import type {WindowRecordEvent} from './events.js';
import {assignSession} from './session.js';
import {assignSliding} from './sliding.js';
import {closeTime, expireTime, type TimeWindow, type WindowSpec} from './windows.js';

export type EmitMode = 'update' | 'final';

/** One record as the processor sees it: grouped, timed and decoded already. */
export interface WindowInput {
  key: string;
  timestamp: number;
  partition: number;
  offset: number;
  /** The decoded value (only looked at when the aggregation reads values). */
  value: unknown;
  /** Whose stream time this record advances: its partition unless regrouped. */
  task?: number;
}

/** What the window kinds use to change the store: updates are emitted in update mode. */
export interface AssignContext<A> {
  spec: WindowSpec;
  aggregation: Aggregation<A>;
  store: WindowedStore<A>;
  task: number;
  streamTime: number;
  /** Writes the window's new aggregate (and, in update mode, emits it). */
  put(key: string, window: TimeWindow, agg: A, maxTs: number): void;
  /** Removes a session a merge replaced (and, in update mode, emits its tombstone). */
  removeMerged(entry: WindowEntry<A>): void;
}

/** A window changed since the cache's last flush: its latest aggregate, or undefined once a merge removed it. */
interface DirtyWindow<A> {
  key: string;
  start: number;
  end: number;
  task: number;
  streamTime: number;
  agg: A | undefined;
}

/**
 * Kafka Streams' windowed aggregation, without Kafka: records in, results and
 * late records out through `sink`, state in a WindowedStore. Stream time is kept
 * per task (input partition): the highest timestamp it has seen. A window takes
 * records until its task's stream time reaches its close time; a record whose
 * windows have all closed is late. In final mode each window's one result is
 * emitted when it closes; in update mode every change is.
 */
export class WindowProcessor<A> {
  readonly store: WindowedStore<A>;
  private readonly times = new Map<number, number>();
  private readonly now: () => number;

  constructor(
    private readonly opts: {
      windows: WindowSpec;
      aggregation: Aggregation<A>;
      emit: EmitMode;
      sink: (event: WindowRecordEvent) => void;
      store?: WindowedStore<A>;
      now?: () => number;
      /**
       * The record cache (Kafka Streams' statestore.cache.max.bytes): up to this
       * many bytes of changed windows are held until flush(), so repeated updates of
       * a window reach the changelog, and in update mode the results, once, with
       * their latest value. Past it the cache is full (see cacheFull). 0: no cache,
       * every change goes out as it happens. Default: no cache.
       */
      cacheMaxBytes?: number;
    },
  ) {
    this.store = opts.store ?? new WindowedStore<A>();
    this.now = opts.now ?? Date.now;
    this.cacheMaxBytes = opts.cacheMaxBytes ?? 0;
  }

  private readonly cacheMaxBytes: number;
  /** Update mode with a cache: the windows changed since the last flush, by key then "start/end", latest first-touched order. */
  private readonly dirty = new Map<string, Map<string, DirtyWindow<A>>>();

  /** True when the cache holds more than its size: flush now (Kafka Streams evicts to the changelog then). */
  get cacheFull(): boolean {
    return this.store.pendingBytes > this.cacheMaxBytes;
  }

  /**
   * Empties the cache: emits (update mode) each changed window's latest result or
   * its removal, once, and returns the store's changes for the changelog.
   */
  flush(): StoreChange<A>[] {
    if (this.dirty.size > 0) {
      const at = this.now();
      for (const windows of this.dirty.values()) {
        for (const d of windows.values()) {
          if (d.agg === undefined) this.opts.sink({type: 'window-removed', at, key: d.key, start: d.start, end: d.end, partition: d.task});
          else this.opts.sink({type: 'window-result', at, key: d.key, start: d.start, end: d.end, value: this.opts.aggregation.result(d.agg), final: false, partition: d.task, streamTime: d.streamTime});
        }
      }
      this.dirty.clear();
    }
    return this.store.drainChanges();
  }

  /** Update mode with a cache: remembers the window's latest state instead of emitting it now. */
  private markDirty(key: string, start: number, end: number, task: number, streamTime: number, agg: A | undefined): void {
    let windows = this.dirty.get(key);
    if (!windows) this.dirty.set(key, (windows = new Map()));
    const id = `${start}/${end}`;
    const d = windows.get(id);
    if (d) {
      d.agg = agg;
      d.streamTime = streamTime;
    } else {
      windows.set(id, {key, start, end, task, streamTime, agg});
    }
  }

  get spec(): WindowSpec {
    return this.opts.windows;
  }

  /** The task's stream time, or null before its first record. */
  streamTime(task: number): number | null {
    return this.times.get(task) ?? null;
  }

  streamTimes(): Record<number, number> {
    return Object.fromEntries(this.times);
  }

  /** Restores a task's stream time (from a checkpoint): records already late stay late. */
  restoreStreamTime(task: number, streamTime: number): void {
    this.times.set(task, Math.max(this.times.get(task) ?? -Infinity, streamTime));
  }

  /**
   * Puts a window back from the changelog, its close time computed from this
   * processor's windows. Call after restoreStreamTime: a window whose task's stream
   * time had closed it was emitted already and comes back closed.
   */
  restoreWindow(entry: Omit<WindowEntry<A>, 'closeAt' | 'expireAt'>): void {
    const full = {...entry, closeAt: closeTime(this.opts.windows, entry), expireAt: expireTime(this.opts.windows, entry)};
    if (full.closeAt <= (this.times.get(entry.task) ?? -Infinity)) this.store.loadClosed(full);
    else this.store.load(full);
  }

  process(input: WindowInput): void {
    const {aggregation, sink} = this.opts;
    const task = input.task ?? input.partition;
    if (aggregation.readsValue) {
      try {
        aggregation.add(aggregation.init(), input.value);
      } catch (error) {
        if (!(error instanceof UnusableValueError)) throw error;
        sink({type: 'record-skipped', at: this.now(), partition: input.partition, offset: input.offset, reason: error.message});
        return;
      }
    }
    const streamTime = Math.max(this.times.get(task) ?? -Infinity, input.timestamp);
    this.times.set(task, streamTime);
    const accepted = this.assign(input, task, streamTime);
    if (!accepted) {
      sink({type: 'late-record', at: this.now(), key: input.key, timestamp: input.timestamp, partition: input.partition, offset: input.offset, streamTime, lateness: streamTime - input.timestamp});
    }
    this.closeUpTo(task, streamTime, 'stream-time');
  }

  /**
   * Moves a task's stream time forward without a record: the opt-in wall-clock
   * close for quiet streams (not Kafka's behaviour; Kafka waits for a record).
   */
  advance(task: number, time: number): void {
    const streamTime = Math.max(this.times.get(task) ?? -Infinity, time);
    this.times.set(task, streamTime);
    this.closeUpTo(task, streamTime, 'wall-clock');
  }

  private closeUpTo(task: number, streamTime: number, by: 'stream-time' | 'wall-clock'): void {
    const closed = this.store.takeClosed(task, streamTime);
    if (this.opts.emit !== 'final' || closed.length === 0) return;
    // Same close time: by end, start and key, so results come in a stable order.
    closed.sort((a, b) => a.closeAt - b.closeAt || a.end - b.end || a.start - b.start || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const at = this.now();
    for (const w of closed) {
      this.opts.sink({type: 'window-result', at, key: w.key, start: w.start, end: w.end, value: this.opts.aggregation.result(w.agg), final: true, closedBy: by, partition: task, streamTime});
    }
  }

  /** Adds the record to its windows; false when every one of them had closed (the record is late). */
  private assign(input: WindowInput, task: number, streamTime: number): boolean {
    const spec = this.opts.windows;
    switch (spec.kind) {
      case 'tumbling':
        return this.assignTime(input, task, streamTime, spec.sizeMs, spec.sizeMs);
      case 'hopping':
        return this.assignTime(input, task, streamTime, spec.sizeMs, spec.advanceMs);
      case 'sliding':
        return assignSliding(this.context(task, streamTime), spec, input);
      case 'session':
        return assignSession(this.context(task, streamTime), spec, input);
    }
  }

  private assignTime(input: WindowInput, task: number, streamTime: number, sizeMs: number, advanceMs: number): boolean {
    const {aggregation, windows} = this.opts;
    const ts = input.timestamp;
    let accepted = false;
    // timeWindowsFor, without an array and objects per record: this runs for every record.
    const first = Math.max(0, ts - sizeMs + advanceMs);
    for (let start = first - (first % advanceMs); start <= ts; start += advanceMs) {
      const end = start + sizeMs;
      if (streamTime >= end + windows.graceMs) continue;
      accepted = true;
      const existing = this.store.get(input.key, start, end);
      const agg = aggregation.add(existing ? existing.agg : aggregation.init(), input.value);
      const maxTs = existing && existing.maxTs > ts ? existing.maxTs : ts;
      // With a cache, a window already changed since the last flush is updated in place: no new objects.
      if (existing && this.cacheMaxBytes > 0 && this.store.updatePending(existing, agg, maxTs)) {
        if (this.opts.emit === 'update') this.markDirty(input.key, start, end, task, streamTime, agg);
        continue;
      }
      this.put(task, streamTime, input.key, {start, end}, agg, maxTs);
    }
    return accepted;
  }

  private put(task: number, streamTime: number, key: string, w: TimeWindow, agg: A, maxTs: number): void {
    const {windows, aggregation, emit, sink} = this.opts;
    this.store.put({key, start: w.start, end: w.end, task, agg, maxTs, closeAt: closeTime(windows, w), expireAt: expireTime(windows, w)});
    if (emit !== 'update') return;
    if (this.cacheMaxBytes > 0) this.markDirty(key, w.start, w.end, task, streamTime, agg);
    else sink({type: 'window-result', at: this.now(), key, start: w.start, end: w.end, value: aggregation.result(agg), final: false, partition: task, streamTime});
  }

  private context(task: number, streamTime: number): AssignContext<A> {
    const {windows, aggregation, emit, sink} = this.opts;
    return {
      spec: windows,
      aggregation,
      store: this.store,
      task,
      streamTime,
      put: (key, w, agg, maxTs) => this.put(task, streamTime, key, w, agg, maxTs),
      removeMerged: (entry) => {
        this.store.remove(entry.key, entry.start, entry.end);
        if (emit !== 'update') return;
        if (this.cacheMaxBytes > 0) this.markDirty(entry.key, entry.start, entry.end, task, streamTime, undefined);
        else sink({type: 'window-removed', at: this.now(), key: entry.key, start: entry.start, end: entry.end, partition: task});
      },
    };
  }
}
