/**
 * Runs the log cleaner over the compacted topics' partitions on a timer (like retention in
 * broker.ts), one pass at a time: rolls active segments older than segment.ms so their records
 * become cleanable, then cleans each partition that is dirty enough.
 */
import {cleanLog, type CleanerConfig} from './cleaner.js';
import {isCompactPolicy} from './compaction-policy.js';
import type {PartitionLog} from './partition-log.js';

interface CompactableTopic {
  name: string;
  configs: Record<string, string>;
  partitions: PartitionLog[];
}

type ConfigValue = (name: string, configs: Record<string, string>) => string;

export class LogCleanerScheduler {
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Bytes read and seconds spent by finished passes, for the log line and benchmarks. */
  readonly totals = {bytesRead: 0, seconds: 0, segmentsRewritten: 0, passes: 0, partitionsCleaned: 0};
  /** Told which transaction markers a clean removed, so the transaction state can forget them. */
  onMarkersRemoved: (log: PartitionLog, markerOffsets: number[]) => void = () => {};

  constructor(
    private readonly topics: () => CompactableTopic[],
    private readonly configValue: ConfigValue,
    private readonly logger: (line: string) => void,
    private readonly options: {swapDelayMs: number},
  ) {}

  cleanerConfig(configs: Record<string, string>): CleanerConfig {
    return {
      minCleanableDirtyRatio: Number(this.configValue('min.cleanable.dirty.ratio', configs)),
      minCompactionLagMs: Number(this.configValue('min.compaction.lag.ms', configs)),
      deleteRetentionMs: Number(this.configValue('delete.retention.ms', configs)),
    };
  }

  /** One pass over all compacted partitions; a pass still running is not started twice. */
  runOnce(now = Date.now()): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.pass(now).finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async pass(now: number): Promise<void> {
    this.totals.passes++;
    const delay = this.options.swapDelayMs;
    const hooks = delay > 0 ? {beforeSwap: () => new Promise<void>((r) => setTimeout(r, delay))} : {};
    for (const topic of this.topics()) {
      if (!isCompactPolicy(this.configValue('cleanup.policy', topic.configs))) continue;
      const config = this.cleanerConfig(topic.configs);
      for (const [partition, log] of topic.partitions.entries()) {
        if (this.stopped || log.isClosed) return;
        const started = performance.now();
        try {
          log.rollIfExpired(now);
          const result = await cleanLog(log, config, now, hooks);
          if (!result) continue;
          if (result.markersRemoved.length > 0) this.onMarkersRemoved(log, result.markersRemoved);
          const seconds = (performance.now() - started) / 1000;
          this.totals.bytesRead += result.bytesRead;
          this.totals.seconds += seconds;
          this.totals.segmentsRewritten += result.segmentsRewritten;
          this.totals.partitionsCleaned++;
          this.logger(
            `[${topic.name}-${partition}] cleaner: ${result.segmentsRewritten} segment(s) rewritten, ${result.recordsRemoved} record(s) removed, ${result.bytesRead} -> ${result.bytesWritten} bytes in ${seconds.toFixed(3)} s`,
          );
        } catch (error) {
          if (log.isClosed) return;
          this.logger(`[${topic.name}-${partition}] cleaner failed: ${(error as Error).message}`);
        }
      }
    }
  }
}
