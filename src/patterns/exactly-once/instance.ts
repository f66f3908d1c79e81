import type {Admin, Batch, Consumer, KafkaMessage} from 'kafkajs';
import {createKafka, translateKafkaError} from '../../kafka/client.js';
import type {OutgoingMessage} from '../../kafka/publisher.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {errorInfo, type ErrorInfo} from '../events.js';
import {recordRef} from '../dead-letter/dead-letter-handler.js';
import type {AbortCause, ProcessorEvent} from './events.js';
import {InjectedFailure, type PendingFaults} from './faults.js';
import {withSource} from './lineage.js';
import type {ProcessorOptions, ProcessorSettings} from './options.js';
import {isFenced, Writers, type PartitionWriter} from './writers.js';

export type ExitReason = Extract<ProcessorEvent, {type: 'instance-stopped'}>['reason'];

/** What the processor supervising the instances provides. */
export interface InstanceHooks {
  faults: PendingFaults;
  /** The instance has stalled (zombie fault); resolves when it may wake. */
  stalled(instance: Instance, partition: number): Promise<void>;
  exited(instance: Instance, reason: ExitReason): void;
}

/** The open unit of work on one partition: its input offsets and the outputs it will send. */
interface Unit {
  offsets: number[];
  pending: OutgoingMessage[];
  begunAt: number;
}

type BatchControls = {resolveOffset: (offset: string) => void; heartbeat: () => Promise<void>; isRunning: () => boolean; isStale: () => boolean};

function toRecord(batch: Batch, m: KafkaMessage): ConsumedRecord {
  return {topic: batch.topic, partition: batch.partition, offset: Number(m.offset), timestamp: Number(m.timestamp), key: m.key, value: m.value, headers: m.headers ?? {}};
}

/**
 * One consumer-group member of the processor. Per partition it owns, it
 * reads on from the group's committed offset, transforms records and writes
 * them in units of work (see writers.ts for what a unit is in each mode).
 */
export class Instance {
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  private writers: Writers | null = null;
  /** Partitions claimed in the current generation, with their writer. */
  private readonly claimed = new Map<number, PartitionWriter>();
  /** Per partition, the next offset the group has committed: where an abort resumes. */
  private readonly committed = new Map<number, number>();
  private done = false;

  constructor(
    readonly name: string,
    private readonly settings: ProcessorSettings,
    private readonly opts: ProcessorOptions,
    private readonly hooks: InstanceHooks,
  ) {}

  async start(): Promise<void> {
    const s = this.settings;
    const kafka = createKafka(this.opts.conn, {clientIdSuffix: this.name});
    const consumer = kafka.consumer({
      groupId: s.group,
      sessionTimeout: s.sessionTimeoutMs,
      rebalanceTimeout: s.sessionTimeoutMs,
      heartbeatInterval: Math.min(1000, Math.floor(s.sessionTimeoutMs / 3)),
      maxWaitTimeInMs: 100,
      readUncommitted: false,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    this.admin = kafka.admin();
    this.writers = new Writers({kafka, consumer, mode: s.mode, group: s.group, topic: s.inputTopic, transactionalIdPrefix: s.transactionalIdPrefix, transactionTimeoutMs: s.transactionTimeoutMs});
    // A new generation: every partition is claimed afresh (its committed offset may have moved under another owner).
    consumer.on(consumer.events.GROUP_JOIN, () => this.claimed.clear());
    // kafkajs restarts the consumer itself after a retriable crash; only a final one ends the instance.
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) void this.exit('failed', e.payload.error);
    });
    try {
      await this.admin.connect();
      await consumer.connect();
      await consumer.subscribe({topic: s.inputTopic, fromBeginning: true});
      await consumer.run({autoCommit: false, eachBatchAutoResolve: false, eachBatch: ({batch, ...controls}) => this.onBatch(batch, controls)});
    } catch (error) {
      await this.exit('failed', error);
      throw translateKafkaError(error, this.opts.conn, {topic: s.inputTopic});
    }
    this.emit({type: 'instance-started', at: Date.now(), instance: this.name});
  }

  /** Leaves the group and closes every client; an open transaction is left for the next owner to abort. */
  stop(): Promise<void> {
    return this.exit('stopped');
  }

  get stopped(): boolean {
    return this.done;
  }

  private emit(event: ProcessorEvent): void {
    this.opts.events.emit(event);
  }

  private async onBatch(batch: Batch, controls: BatchControls): Promise<void> {
    if (this.done || batch.isEmpty()) return;
    const partition = batch.partition;
    let writer = this.claimed.get(partition);
    if (!writer) {
      // Claim first, then look up the committed offset: the claim fences the previous owner, so its last word is in.
      writer = await this.writers!.claim(partition);
      this.claimed.set(partition, writer);
      await this.resumeFromCommitted(partition, await this.fetchCommitted(partition));
      return;
    }
    await this.process(batch, writer, controls);
  }

  private async process(batch: Batch, writer: PartitionWriter, controls: BatchControls): Promise<void> {
    const partition = batch.partition;
    const from = this.committed.get(partition) ?? 0;
    const messages = batch.messages.filter((m) => Number(m.offset) >= from);
    let unit: Unit | null = null;
    for (const [i, message] of messages.entries()) {
      if (this.done || !controls.isRunning() || controls.isStale()) break;
      const record = toRecord(batch, message);
      if (!unit) {
        await writer.begin();
        unit = {offsets: [], pending: [], begunAt: Date.now()};
        this.emit({type: 'transaction-begun', at: Date.now(), instance: this.name, partition, transactionalId: writer.transactionalId});
      }
      let outputs: OutgoingMessage[];
      try {
        outputs = await this.transform(record);
      } catch (error) {
        await this.abandon(partition, writer, unit, error instanceof InjectedFailure ? 'injected' : 'transform', error);
        return;
      }
      // Sent together when the unit closes: one produce request per unit, not per record.
      unit.pending.push(...outputs.map((m) => withSource(m, record)));
      unit.offsets.push(record.offset);
      this.emit({type: 'record-processed', at: Date.now(), instance: this.name, record: recordRef(record), outputs: outputs.length});
      const full = unit.offsets.length >= this.settings.maxRecordsPerTransaction || Date.now() - unit.begunAt >= this.settings.maxTransactionMs;
      if (full || i === messages.length - 1) {
        if (!(await this.finish(partition, writer, unit, controls))) return;
        unit = null;
      }
    }
    // Stopped or rebalanced mid-unit: what was not committed is done again by whoever owns the partition next.
    if (unit) await this.abandon(partition, writer, unit, 'revoked', new Error('the partition was revoked or the instance stopped mid-transaction'));
  }

  private async transform(record: ConsumedRecord): Promise<OutgoingMessage[]> {
    const filter = this.opts.filter;
    if (filter && !filter.accepts(record)) {
      this.emit({type: 'skipped', at: Date.now(), instance: this.name, record: recordRef(record), reason: filter.reason});
      return [];
    }
    if (this.hooks.faults.take('fail', [record])) throw new InjectedFailure(`injected processing failure at ${record.topic}/${record.partition}/${record.offset}`);
    return this.opts.transform(record);
  }

  /** Sends the unit's outputs and commits it, with the crash and zombie faults in between; false when it did not commit. */
  private async finish(partition: number, writer: PartitionWriter, unit: Unit, controls: BatchControls): Promise<boolean> {
    try {
      await writer.send(unit.pending);
    } catch (error) {
      await this.failed(partition, writer, unit, error);
      return false;
    }
    const inputs = unit.offsets.map((offset) => ({partition, offset}));
    if (this.hooks.faults.take('crash', inputs)) {
      this.emit({type: 'crashed', at: Date.now(), instance: this.name, partition, records: unit.offsets.length});
      // Not awaited: the consumer cannot disconnect while this batch handler is still running.
      void this.exit('crashed');
      return false;
    }
    let woke = false;
    if (this.hooks.faults.take('zombie', inputs)) {
      this.emit({type: 'stalled', at: Date.now(), instance: this.name, partition});
      await this.hooks.stalled(this, partition);
      this.emit({type: 'woke', at: Date.now(), instance: this.name, partition});
      // Woken because the processor is stopping: leave the transaction open, as a crash would.
      if (this.done) return false;
      woke = true;
    }
    const last = unit.offsets.at(-1)!;
    const next = last + 1;
    try {
      await writer.commit(next);
    } catch (error) {
      await this.failed(partition, writer, unit, error);
      // A zombie was replaced while it slept: after its one late commit it goes, as a replaced process would
      // (staying, it would go on with whatever its last fetch held, however much that happened to be).
      if (woke) void this.exit('stopped');
      return false;
    }
    if (woke) {
      void this.exit('stopped');
      return false;
    }
    this.committed.set(partition, next);
    controls.resolveOffset(String(last));
    this.emit({type: 'transaction-committed', at: Date.now(), instance: this.name, partition, records: unit.offsets.length, outputs: unit.pending.length, offsets: [{partition, offset: next}]});
    await controls.heartbeat().catch(() => {});
    return true;
  }

  /** A produce or commit failed: fenced means another instance owns the partition now; anything else aborts and resumes. */
  private async failed(partition: number, writer: PartitionWriter, unit: Unit, error: unknown): Promise<void> {
    if (!isFenced(error)) return this.abandon(partition, writer, unit, 'produce', error);
    this.emit({type: 'fenced', at: Date.now(), instance: this.name, partition, transactionalId: writer.transactionalId ?? ''});
    this.claimed.delete(partition);
    await this.writers!.release(partition);
    // Its partition went to the replacement: this instance stops rather than fight for it.
    void this.exit('fenced');
  }

  /** Aborts the unit and reads on from the last committed offset. */
  private async abandon(partition: number, writer: PartitionWriter, unit: Unit, cause: AbortCause, error: unknown): Promise<void> {
    const reason: ErrorInfo = errorInfo(error);
    try {
      await writer.abort();
    } catch {
      // The transaction state is unknown: drop the producer; the next claim's initialisation aborts what is open.
      this.claimed.delete(partition);
      await this.writers!.release(partition);
    }
    this.emit({type: 'transaction-aborted', at: Date.now(), instance: this.name, partition, records: unit.offsets.length, cause, reason});
    if (this.claimed.has(partition)) await this.resumeFromCommitted(partition, this.committed.get(partition) ?? 0);
  }

  private async resumeFromCommitted(partition: number, offset: number): Promise<void> {
    this.committed.set(partition, offset);
    this.consumer!.seek({topic: this.settings.inputTopic, partition, offset: String(offset)});
    this.emit({type: 'resumed-from', at: Date.now(), instance: this.name, offsets: [{partition, offset}]});
  }

  /** The group's committed offset for the partition, or the partition's start when nothing is committed. */
  private async fetchCommitted(partition: number): Promise<number> {
    const topic = this.settings.inputTopic;
    const [fetched] = await this.admin!.fetchOffsets({groupId: this.settings.group, topics: [topic]});
    const offset = Number(fetched?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
    if (offset >= 0) return offset;
    const low = (await this.admin!.fetchTopicOffsets(topic)).find((p) => p.partition === partition)?.low;
    return Number(low ?? 0);
  }

  private async exit(reason: ExitReason, error?: unknown): Promise<void> {
    if (this.done) return;
    this.done = true;
    // A crash drops the clients as they are: no commit, no abort (the group sees the member leave).
    await this.consumer?.disconnect().catch(() => {});
    await this.writers?.closeAll();
    await this.admin?.disconnect().catch(() => {});
    this.emit({type: 'instance-stopped', at: Date.now(), instance: this.name, reason, ...(error === undefined ? {} : {error: errorInfo(error)})});
    this.hooks.exited(this, reason);
  }
}
