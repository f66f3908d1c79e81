import type {EventStream} from '../../core/event-stream.js';
import type {ProcessorEvent} from './events.js';
import {PendingFaults} from './faults.js';
import {Instance, type ExitReason, type InstanceHooks} from './instance.js';
import {parseSettings, type ProcessorOptions, type ProcessorSettings} from './options.js';

export interface Processor {
  readonly settings: ProcessorSettings;
  readonly events: EventStream<ProcessorEvent>;
  /** Starts the configured number of group members; resolves once they have joined. */
  start(): Promise<void>;
  /** Stops every member (a stalled one is woken to stop). */
  stop(): Promise<void>;
}

/**
 * A consume-transform-produce processor in one of three modes, so the same
 * workload can run at-least-once, with an idempotent producer, or
 * transactionally (exactly once for read_committed readers), and the results
 * be compared. It supervises its instances like a deployment would: one that
 * crashes or is fenced is replaced, and a stalled one (zombie) is replaced
 * while it sleeps.
 */
export function createProcessor(opts: ProcessorOptions): Processor {
  return new Supervisor(parseSettings(opts), opts);
}

class Supervisor implements Processor, InstanceHooks {
  readonly faults: PendingFaults;
  private readonly live = new Set<Instance>();
  /** Instances already replaced (stalled zombies): their exit needs no replacement. */
  private readonly replaced = new WeakSet<Instance>();
  private readonly sleepers = new Set<() => void>();
  private started = 0;
  private stopping = false;

  constructor(
    readonly settings: ProcessorSettings,
    private readonly opts: ProcessorOptions,
  ) {
    this.faults = new PendingFaults(opts.faults);
  }

  get events(): EventStream<ProcessorEvent> {
    return this.opts.events;
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.settings.instances; i++) await this.spawn();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.sleepers) wake();
    await Promise.all([...this.live].map((i) => i.stop()));
  }

  /**
   * The zombie sleeps until its replacement has claimed the partition (so the
   * replacement's producer has fenced it): then it wakes and tries to commit.
   */
  stalled(zombie: Instance, partition: number): Promise<void> {
    this.replaced.add(zombie);
    return new Promise((resolve) => {
      const wake = () => {
        unsubscribe();
        this.sleepers.delete(wake);
        resolve();
      };
      const unsubscribe = this.events.subscribe((e) => {
        if (e.type === 'resumed-from' && e.instance !== zombie.name && e.offsets.some((o) => o.partition === partition)) wake();
      });
      this.sleepers.add(wake);
      if (this.stopping) wake();
      else void this.spawn().catch(() => {});
    });
  }

  exited(instance: Instance, reason: ExitReason): void {
    this.live.delete(instance);
    if (this.stopping || this.replaced.has(instance)) return;
    // A crash or a fencing is what a deployment restarts; a failure to run at all would only repeat.
    if (reason === 'crashed' || reason === 'fenced') void this.spawn().catch(() => {});
  }

  private async spawn(): Promise<void> {
    const name = `${this.settings.group}-${this.settings.mode}-${++this.started}`;
    const instance = new Instance(name, this.settings, this.opts, this);
    this.live.add(instance);
    await instance.start();
  }
}
