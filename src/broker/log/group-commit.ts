/**
 * Group commit: many callers waiting for durability share few fsyncs. A caller is satisfied by
 * a round that started after its data was written. While a round runs, newcomers queue for the
 * one next round (started when the current one ends), so N concurrent flushes cost at most two
 * fsync rounds instead of N, and throughput grows with concurrency instead of collapsing.
 */
export class GroupCommit {
  /** Rounds started so far (each round fsyncs everything dirty once); for tests and metrics. */
  rounds = 0;
  private written = 0;
  private durable = 0;
  private current: {covers: number; done: Promise<void>} | null = null;
  private queued: Promise<void> | null = null;

  /** `onRound` is told each round's duration (the fsync latency metric). */
  constructor(
    private readonly syncAll: () => Promise<void>,
    private readonly onRound?: (seconds: number) => void,
  ) {}

  /** Records that data was written and is not yet durable. */
  markWritten(): void {
    this.written++;
  }

  /** Resolves once everything marked written before this call is durable. */
  flush(): Promise<void> {
    const target = this.written;
    if (this.durable >= target) return Promise.resolve();
    if (this.current === null) return this.queued ?? this.startRound();
    if (this.current.covers >= target) return this.current.done;
    this.queued ??= this.current.done
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.startRound();
      });
    return this.queued;
  }

  /** Resolves when no round is running or queued (failures are the flushing callers' to see). */
  async idle(): Promise<void> {
    while (this.current !== null || this.queued !== null) {
      await (this.queued ?? this.current?.done)?.catch(() => undefined);
    }
  }

  private startRound(): Promise<void> {
    const covers = this.written;
    this.rounds++;
    const started = performance.now();
    const done = this.syncAll()
      .then(() => {
        this.durable = Math.max(this.durable, covers);
        this.onRound?.((performance.now() - started) / 1000);
      })
      .finally(() => {
        this.current = null;
      });
    this.current = {covers, done};
    return done;
  }
}
