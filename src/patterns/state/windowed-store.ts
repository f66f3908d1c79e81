/**
 * A windowed key-value store: one aggregate per (key, window), as Kafka Streams'
 * window and session stores hold them. It tracks what changed since the last
 * drain (what its changelog must get) and, per task, the order in which its
 * windows close, so closing is not a scan of every window.
 */
export interface WindowEntry<A> {
  key: string;
  start: number;
  end: number;
  /** The task (input partition) whose stream time closes this window. */
  task: number;
  agg: A;
  /** Highest record timestamp in the window (sliding windows need it). */
  maxTs: number;
  /** The stream time at which the window closes: it takes no record from then on. */
  closeAt: number;
  /**
   * The stream time from which the store forgets it. Closed windows may be kept a
   * while (sliding windows and sessions look at their neighbours); a closed window
   * is never emitted again.
   */
  expireAt: number;
}

/** A change for the changelog: the entry as it is now, or null where it was removed. */
export interface StoreChange<A> {
  key: string;
  start: number;
  task: number;
  entry: WindowEntry<A> | null;
}

/**
 * Windows are found by key and start: a key never has two windows starting at the
 * same time (time and sliding windows have one end per start; a key's sessions
 * never overlap), so no (start, end) string is built per record.
 */
export class WindowedStore<A> {
  private readonly byKey = new Map<string, Map<number, WindowEntry<A>>>();
  private readonly changes = new Map<string, Map<number, StoreChange<A>>>();
  private changeCount = 0;
  private changeBytes = 0;
  /** Entries a pending change holds: nothing outside the store has them, so they may change in place. */
  private pendingEntries = new WeakSet<WindowEntry<A>>();
  /** Pending changes of windows the changelog has no record of (new since the last drain). */
  private readonly fresh = new WeakSet<StoreChange<A>>();
  private readonly closing = new Map<number, MinHeap<WindowEntry<A>>>();
  private readonly expiring = new Map<number, MinHeap<WindowEntry<A>>>();
  /** Windows that closed but are kept until they expire. */
  private readonly closed = new WeakSet<WindowEntry<A>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: string, start: number, end: number): WindowEntry<A> | undefined {
    const entry = this.byKey.get(key)?.get(start);
    return entry !== undefined && entry.end === end ? entry : undefined;
  }

  /** Adds or replaces the entry for its key and window. */
  put(entry: WindowEntry<A>): void {
    const existed = this.insert(entry);
    this.changed(entry.key, entry.start, entry.task, entry, !existed);
  }

  /**
   * The record cache's fast path: a window already changed since the last drain
   * takes its new aggregate in place (no new entry, no second change); false when
   * it was not, and put() must be used. Entries handed out by a drain never change.
   */
  updatePending(entry: WindowEntry<A>, agg: A, maxTs: number): boolean {
    if (!this.pendingEntries.has(entry)) return false;
    entry.agg = agg;
    entry.maxTs = maxTs;
    return true;
  }

  /** Like put, without recording a change: for restoring from the changelog. */
  load(entry: WindowEntry<A>): void {
    this.insert(entry);
  }

  /** A window restored after it had closed (its result was emitted): kept until it expires, never closed again. */
  loadClosed(entry: WindowEntry<A>): void {
    this.insert(entry, true);
  }

  isClosed(entry: WindowEntry<A>): boolean {
    return this.closed.has(entry);
  }

  /** Returns whether the key had a window at this start before. */
  private insert(entry: WindowEntry<A>, closed = false): boolean {
    let windows = this.byKey.get(entry.key);
    if (!windows) this.byKey.set(entry.key, (windows = new Map()));
    let before = windows.get(entry.start);
    const existed = before !== undefined;
    // Same start, other end: the old window is gone (its heap items are skipped as stale).
    if (before !== undefined && before.end !== entry.end) {
      this.count--;
      before = undefined;
    }
    windows.set(entry.start, entry);
    if (!before) this.count++;
    // A window's close time depends on its bounds only, so a replaced entry is already in its heap.
    const wasClosed = before !== undefined && this.closed.has(before);
    if (closed || wasClosed) {
      this.closed.add(entry);
      if (!wasClosed) heapOf(this.expiring, entry.task).push(entry.expireAt, entry);
    } else if (!before) {
      heapOf(this.closing, entry.task).push(entry.closeAt, entry);
    }
    return existed;
  }

  remove(key: string, start: number, end: number): WindowEntry<A> | undefined {
    const windows = this.byKey.get(key);
    const entry = windows?.get(start);
    if (!windows || !entry || entry.end !== end) return undefined;
    windows.delete(start);
    if (windows.size === 0) this.byKey.delete(key);
    this.count--;
    this.changed(key, start, entry.task, null);
    return entry;
  }

  /** `fresh`: the window is new since the last drain, so the changelog holds nothing for it yet. */
  private changed(key: string, start: number, task: number, entry: WindowEntry<A> | null, fresh = false): void {
    let starts = this.changes.get(key);
    if (!starts) this.changes.set(key, (starts = new Map()));
    const change = starts.get(start);
    if (change && entry === null && this.fresh.has(change)) {
      // Created and removed between two drains: the changelog never needs to hear of it.
      starts.delete(start);
      if (starts.size === 0) this.changes.delete(key);
      this.changeCount--;
      this.changeBytes -= changeSize(key);
    } else if (change) {
      change.entry = entry;
      change.task = task;
      if (entry) this.pendingEntries.add(entry);
    } else {
      if (entry) this.pendingEntries.add(entry);
      const created = {key, start, task, entry};
      starts.set(start, created);
      if (fresh) this.fresh.add(created);
      this.changeCount++;
      this.changeBytes += changeSize(key);
    }
  }

  /** A key's windows, oldest start first. */
  windowsOf(key: string): WindowEntry<A>[] {
    const windows = this.byKey.get(key);
    if (!windows) return [];
    return [...windows.values()].sort((a, b) => a.start - b.start || a.end - b.end);
  }

  /**
   * Interactive query, as Kafka's WindowStore.fetch(key, timeFrom, timeTo): the
   * windows that start within [from, to] (inclusive), for one key or all,
   * ordered by key then start.
   */
  query(opts: {key?: string; from?: number; to?: number} = {}): WindowEntry<A>[] {
    const from = opts.from ?? -Infinity;
    const to = opts.to ?? Infinity;
    const keys = opts.key !== undefined ? [opts.key] : [...this.byKey.keys()].sort();
    return keys.flatMap((k) => this.windowsOf(k).filter((w) => w.start >= from && w.start <= to));
  }

  /**
   * Marks the task's windows that close at or before `streamTime` as closed and
   * returns them in closing order; then forgets the closed windows that expire by then.
   */
  takeClosed(task: number, streamTime: number): WindowEntry<A>[] {
    const out: WindowEntry<A>[] = [];
    const closing = this.closing.get(task);
    while (closing && closing.size > 0 && closing.peekPriority() <= streamTime) {
      const popped = closing.pop();
      // Stale heap items (removed, or removed and put again) are skipped; the store's entry is the one closed.
      const entry = this.get(popped.key, popped.start, popped.end);
      if (!entry || this.closed.has(entry)) continue;
      this.closed.add(entry);
      heapOf(this.expiring, task).push(entry.expireAt, entry);
      out.push(entry);
    }
    const expiring = this.expiring.get(task);
    while (expiring && expiring.size > 0 && expiring.peekPriority() <= streamTime) {
      const popped = expiring.pop();
      const entry = this.get(popped.key, popped.start, popped.end);
      if (entry && this.closed.has(entry)) this.remove(entry.key, entry.start, entry.end);
    }
    return out;
  }

  /** The task's earliest close time among its open windows, or null. */
  nextClose(task: number): number | null {
    const heap = this.closing.get(task);
    while (heap && heap.size > 0) {
      const entry = this.get(heap.peek().key, heap.peek().start, heap.peek().end);
      if (entry && !this.closed.has(entry)) return heap.peekPriority();
      heap.pop();
    }
    return null;
  }

  /** What changed since the last call, one change per key and window start. */
  drainChanges(): StoreChange<A>[] {
    const out: StoreChange<A>[] = [];
    for (const starts of this.changes.values()) for (const change of starts.values()) out.push(change);
    this.changes.clear();
    this.pendingEntries = new WeakSet();
    this.changeCount = 0;
    this.changeBytes = 0;
    return out;
  }

  get pendingChanges(): number {
    return this.changeCount;
  }

  /** An estimate of the memory the pending changes hold (the record cache's size). */
  get pendingBytes(): number {
    return this.changeBytes;
  }
}

/**
 * What one pending change costs, roughly as Kafka Streams' cache counts an entry:
 * the key's bytes plus the window, the aggregate and the entry's bookkeeping.
 */
const changeSize = (key: string) => 2 * key.length + 96;

function heapOf<T>(heaps: Map<number, MinHeap<T>>, task: number): MinHeap<T> {
  let heap = heaps.get(task);
  if (!heap) heaps.set(task, (heap = new MinHeap()));
  return heap;
}

/** A binary min-heap of items by a number. */
class MinHeap<T> {
  private readonly priorities: number[] = [];
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T {
    return this.items[0]!;
  }

  peekPriority(): number {
    return this.priorities[0]!;
  }

  push(priority: number, item: T): void {
    let i = this.items.length;
    this.items.push(item);
    this.priorities.push(priority);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.priorities[parent]! <= priority) break;
      this.move(parent, i);
      i = parent;
    }
    this.items[i] = item;
    this.priorities[i] = priority;
  }

  pop(): T {
    const top = this.items[0]!;
    const lastItem = this.items.pop()!;
    const lastPriority = this.priorities.pop()!;
    const n = this.items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && this.priorities[child + 1]! < this.priorities[child]!) child++;
        if (this.priorities[child]! >= lastPriority) break;
        this.move(child, i);
        i = child;
      }
      this.items[i] = lastItem;
      this.priorities[i] = lastPriority;
    }
    return top;
  }

  private move(from: number, to: number): void {
    this.items[to] = this.items[from]!;
    this.priorities[to] = this.priorities[from]!;
  }
}
