import {ConfigError} from '../../core/errors.js';
import {EventStream} from '../../core/event-stream.js';
import type {Connection} from '../../kafka/connection.js';
import {startFaultProxy, type FaultProxy} from '../../kafka/proxy/index.js';
import type {FaultPlan as ProcessorFaults} from '../../patterns/exactly-once/faults.js';
import type {AbortCause, ProcessorEvent} from '../../patterns/exactly-once/events.js';
import {createProcessor, type Processor} from '../../patterns/exactly-once/processor.js';
import type {RecordFilter} from '../../patterns/record-filter.js';
import type {PatternEvent} from '../../patterns/events.js';
import type {EosFault, EosKindEvent, PipelineStats} from './events.js';
import {proxyPlan} from './faults.js';
import type {EosMode, EosScenario} from './schema.js';
import {ledgerEntry} from './workload.js';
import type {PatternMetrics} from '../../patterns/metrics/index.js';

/** What giving up a unit means in each mode: only a transaction takes back what it produced. */
function abortText(mode: EosMode, cause: AbortCause): string {
  if (mode === 'transactional') return 'aborted its transaction';
  return cause === 'injected' || cause === 'transform' ? 'gave up its unit before producing it' : 'gave up its unit (what it produced stays)';
}

const emptyStats = (): PipelineStats => ({processed: 0, outputs: 0, committed: 0, aborted: 0, fenced: 0, crashes: 0, zombies: 0, responsesDropped: 0, caughtUp: 0});

export interface PipelineContext {
  conn: Connection;
  filter: RecordFilter;
  faults: ProcessorFaults;
  /** Per input partition, the end of the run's input: where a caught-up group has committed to. */
  end: ReadonlyMap<number, number>;
  emit(e: EosKindEvent | PatternEvent): void;
  metrics?: PatternMetrics;
}

/**
 * One processing mode's pipeline: its processor, whose clients all go through
 * its own fault proxy (same seed and plan as the other pipelines', so each
 * meets the same dropped responses at the same Produce requests), and the
 * running totals the view and the report show.
 */
export class Pipeline {
  readonly stats = emptyStats();
  /** Per input partition, the next offset the group committed. */
  private readonly committedTo = new Map<number, number>();
  /** Zombies woken and not yet told what became of their transaction. */
  private readonly woken = new Set<string>();
  private stalled = 0;

  private constructor(
    readonly mode: EosMode,
    readonly proxy: FaultProxy,
    readonly processor: Processor,
    private readonly ctx: PipelineContext,
  ) {}

  static async start(s: EosScenario, mode: EosMode, ctx: PipelineContext): Promise<Pipeline> {
    if (ctx.conn.tls) throw new ConfigError('the exactly-once scenario runs its pipelines through a local fault proxy, which does not speak TLS — run it against a plaintext listener (e.g. `kpat up`)');
    const proxy = await startFaultProxy({target: ctx.conn.brokers[0]!, seed: s.workload.seed, plan: proxyPlan(s)});
    const events = new EventStream<ProcessorEvent>();
    const processor = createProcessor({
      mode,
      conn: {...ctx.conn, brokers: [proxy.bootstrap]},
      inputTopic: s.topics.input,
      group: s.groups[mode],
      transform: ledgerEntry(s.topics.outputs[mode]),
      events,
      faults: ctx.faults,
      filter: ctx.filter,
      maxRecordsPerTransaction: s.transactionRecords,
      // Units close on size or at the end of a fetched batch, never on time: the same seed gives the same units.
      maxTransactionMs: 3_600_000,
      transactionalIdPrefix: `kpat-eos-${s.name}`,
      sessionTimeoutMs: s.sessionTimeout,
    });
    const pipeline = new Pipeline(mode, proxy, processor, ctx);
    events.subscribe((e) => pipeline.onProcessor(e));
    ctx.metrics?.exactlyOnce(events, {topic: s.topics.input, group: s.groups[mode]});
    proxy.events.subscribe((e) => {
      if (e.type !== 'fault' || e.fault !== 'drop-response') return;
      pipeline.stats.responsesDropped++;
      pipeline.fault('drop-response', `proxy dropped a ${e.api} response after the broker wrote it; the producer retries`);
    });
    try {
      await processor.start();
    } catch (error) {
      await proxy.close();
      throw error;
    }
    return pipeline;
  }

  /** Caught up on every partition, and every woken zombie has met its fate. */
  get settled(): boolean {
    return this.stats.caughtUp >= this.ctx.end.size && this.woken.size === 0 && this.stats.zombies === this.stalled;
  }

  async stop(): Promise<void> {
    await this.processor.stop();
    await this.proxy.close();
  }

  private fault(fault: EosFault, detail: string): void {
    this.ctx.emit({type: 'eos-fault', at: Date.now(), mode: this.mode, fault, detail});
  }

  private onProcessor(e: ProcessorEvent): void {
    const st = this.stats;
    // Instances are named <group>-<mode>-<n>: the line already says the mode.
    const who = 'instance' in e ? `instance ${e.instance.split('-').at(-1)}` : '';
    switch (e.type) {
      case 'record-processed':
        st.processed++;
        break;
      case 'skipped':
        st.processed--;
        this.ctx.emit({type: 'skipped', at: e.at, group: this.processor.settings.group, record: e.record, reason: e.reason});
        break;
      case 'transaction-committed':
        st.committed++;
        st.outputs += e.outputs;
        for (const o of e.offsets) this.committedTo.set(o.partition, Math.max(this.committedTo.get(o.partition) ?? 0, o.offset));
        st.caughtUp = [...this.ctx.end].filter(([p, end]) => (this.committedTo.get(p) ?? 0) >= end).length;
        this.woken.delete(e.instance);
        break;
      case 'transaction-aborted':
        st.aborted++;
        this.woken.delete(e.instance);
        this.fault(
          e.cause === 'injected' ? 'failure' : 'aborted',
          `${who} ${abortText(this.mode, e.cause)} on p${e.partition}: ${e.reason.message}`,
        );
        break;
      case 'fenced':
        st.fenced++;
        this.woken.delete(e.instance);
        this.fault('fenced', `${who} was fenced on p${e.partition} (${e.transactionalId}): a newer producer owns it`);
        break;
      case 'crashed':
        st.crashes++;
        this.fault('crash', `${who} crashed after producing ${e.records} records of p${e.partition}, before committing`);
        break;
      case 'stalled':
        st.zombies++;
        this.stalled++;
        this.fault('zombie', `${who} stalled mid-unit on p${e.partition}; a replacement takes over`);
        break;
      case 'woke':
        this.woken.add(e.instance);
        this.fault('zombie', `${who} woke up and tries to commit its old unit`);
        break;
      case 'instance-stopped':
        this.woken.delete(e.instance);
        break;
      default:
        break;
    }
  }
}
