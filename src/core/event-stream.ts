/**
 * The two shapes live views subscribe to: a value that changes (a poller's latest
 * snapshot, a connection state) and a stream of events (records, pattern events).
 * Views get these, never the clients behind them.
 */
export interface Subscribable<E> {
  /** Calls `listener` for every future value; returns the unsubscribe function. */
  subscribe(listener: (value: E) => void): () => void;
}

/** A Subscribable that also has a value right now. */
export interface LiveSource<T> extends Subscribable<T> {
  current(): T;
}

/** Fan-out to listeners, in subscription order. */
export class EventStream<E> implements Subscribable<E> {
  private readonly listeners = new Set<(value: E) => void>();

  subscribe(listener: (value: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(value: E): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}

export class LiveValue<T> extends EventStream<T> implements LiveSource<T> {
  constructor(private value: T) {
    super();
  }

  current(): T {
    return this.value;
  }

  set(value: T): void {
    this.value = value;
    this.emit(value);
  }
}
