import type {Consumer, Kafka, Producer, Transaction} from 'kafkajs';
import {kafkaErrorType} from '../../kafka/client.js';
import {DeliveryCheck} from '../../kafka/delivery.js';
import {byTopic, type OutgoingMessage} from '../../kafka/publisher.js';
import type {ProcessingMode} from './events.js';

/**
 * How one input partition's unit of work is written: outputs, then the input
 * offset. Transactional: both in one transaction. The other modes produce,
 * then commit the offset through the consumer: a crash between the two
 * replays the unit (duplicates), which is what they are there to show.
 */
export interface PartitionWriter {
  readonly transactionalId: string | null;
  begin(): Promise<void>;
  send(messages: OutgoingMessage[]): Promise<void>;
  /** Commits the unit: the input partition's next offset is `nextOffset`. */
  commit(nextOffset: number): Promise<void>;
  /** Ends the unit without its effects where the mode can (transactional); best effort. */
  abort(): Promise<void>;
}

export interface WritersContext {
  kafka: Kafka;
  consumer: Consumer;
  mode: ProcessingMode;
  group: string;
  topic: string;
  transactionalIdPrefix: string;
  transactionTimeoutMs: number;
}

/** The classic (pre-KIP-447) fencing scheme: one transactional id per input partition. */
export function transactionalIdFor(prefix: string, topic: string, partition: number): string {
  return `${prefix}-${topic}-${partition}`;
}

/** True when the broker refused this producer because a newer one took its transactional id. */
export function isFenced(error: unknown): boolean {
  const type = kafkaErrorType(error);
  return type === 'INVALID_PRODUCER_EPOCH' || type === 'PRODUCER_FENCED';
}

/** The producers of one processor instance: one per claimed partition (transactional) or one shared. */
export class Writers {
  private readonly producers = new Map<number, Producer>();
  private shared: Producer | null = null;
  private readonly delivery = new DeliveryCheck();

  constructor(private readonly ctx: WritersContext) {}

  /**
   * The writer for a partition this instance has just been given. In the
   * transactional mode this initialises the partition's transactional id, which
   * fences any earlier owner and aborts a transaction it left open.
   */
  async claim(partition: number): Promise<PartitionWriter> {
    const {ctx} = this;
    if (ctx.mode !== 'transactional') return new PlainWriter(await this.sharedProducer(), ctx, partition, this.delivery);
    await this.release(partition);
    const transactionalId = transactionalIdFor(ctx.transactionalIdPrefix, ctx.topic, partition);
    const producer = ctx.kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: ctx.transactionTimeoutMs,
      createPartitioner: this.delivery.partitioner,
    });
    this.producers.set(partition, producer);
    await producer.connect();
    // kafkajs initialises the transactional id lazily, at the first transaction: do it now
    // (an empty transaction ends without a request), so the fencing happens before the caller reads the committed offset.
    await (await producer.transaction()).abort();
    return new TransactionalWriter(producer, transactionalId, ctx, partition, this.delivery);
  }

  /** Disconnects a partition's producer, leaving any open transaction to the next owner (it aborts it). */
  async release(partition: number): Promise<void> {
    const producer = this.producers.get(partition);
    this.producers.delete(partition);
    await producer?.disconnect().catch(() => {});
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.producers.keys()].map((p) => this.release(p)));
    await this.shared?.disconnect().catch(() => {});
    this.shared = null;
  }

  private async sharedProducer(): Promise<Producer> {
    if (this.shared) return this.shared;
    const idempotent = this.ctx.mode === 'idempotent';
    const producer = this.ctx.kafka.producer({idempotent, maxInFlightRequests: idempotent ? 1 : undefined, createPartitioner: this.delivery.partitioner});
    await producer.connect();
    this.shared = producer;
    return producer;
  }
}

class PlainWriter implements PartitionWriter {
  readonly transactionalId = null;

  constructor(
    private readonly producer: Producer,
    private readonly ctx: WritersContext,
    private readonly partition: number,
    private readonly delivery: DeliveryCheck,
  ) {}

  async begin(): Promise<void> {}

  async send(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const topicMessages = byTopic(messages);
    this.delivery.verify(topicMessages, await this.producer.sendBatch({acks: -1, topicMessages}), -1);
  }

  async commit(nextOffset: number): Promise<void> {
    await this.ctx.consumer.commitOffsets([{topic: this.ctx.topic, partition: this.partition, offset: String(nextOffset)}]);
  }

  // Nothing to undo: what was produced stays, the offset was not committed.
  async abort(): Promise<void> {}
}

class TransactionalWriter implements PartitionWriter {
  private txn: Transaction | null = null;

  constructor(
    private readonly producer: Producer,
    readonly transactionalId: string,
    private readonly ctx: WritersContext,
    private readonly partition: number,
    private readonly delivery: DeliveryCheck,
  ) {}

  async begin(): Promise<void> {
    this.txn = await this.producer.transaction();
  }

  async send(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const topicMessages = byTopic(messages);
    this.delivery.verify(topicMessages, await this.open().sendBatch({acks: -1, topicMessages}), -1);
  }

  async commit(nextOffset: number): Promise<void> {
    const txn = this.open();
    await txn.sendOffsets({consumerGroupId: this.ctx.group, topics: [{topic: this.ctx.topic, partitions: [{partition: this.partition, offset: String(nextOffset)}]}]});
    await txn.commit();
    this.txn = null;
  }

  async abort(): Promise<void> {
    const txn = this.txn;
    this.txn = null;
    if (txn?.isActive()) await txn.abort();
  }

  private open(): Transaction {
    if (!this.txn) throw new Error('no transaction is open: begin() comes first');
    return this.txn;
  }
}
