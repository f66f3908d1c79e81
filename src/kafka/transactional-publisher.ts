import kafkajs, {type PartitionMetadata} from 'kafkajs';
import {noSuchPartition} from '../core/errors.js';
import {createKafka, translateKafkaError} from './client.js';
import type {Connection} from './connection.js';
import {createInternalCluster, createTransactionManager, type InternalCluster, type InternalTransactionManager} from './kafkajs-internals.js';
import {partitionBatches, produceBatches, type PartitionBatch} from './produce-batches.js';
import type {OutgoingMessage} from './publisher.js';

const {Partitioners} = kafkajs;

export interface TransactionOffsets {
  groupId: string;
  topic: string;
  /** The next offset to read, per partition. */
  offsets: ReadonlyMap<number, number>;
}

/**
 * A transactional producer: each commit() writes its messages and a group's
 * source offsets atomically (all visible to read_committed readers, or none).
 * A second process with the same transactional id fences the first and aborts
 * what it left open, so a crashed writer's half-done work never shows.
 *
 * The transaction protocol is kafkajs' (its transaction manager finds the
 * coordinator, registers partitions and offsets, commits and aborts); the records
 * go in batches kpat encodes itself (produce-batches.ts), numbered with the
 * manager's sequences, one batch per partition per request.
 */
export class TransactionalPublisher {
  /** The Java-compatible default partitioner, for messages without a partition. */
  private readonly partitioner = Partitioners.DefaultPartitioner();
  /** After a failed transaction the producer starts afresh (a new epoch resets the sequences)... */
  private broken = false;
  /** ...unless another writer with its id fenced it: taking the epoch back would fence that one in turn. */
  private fencedBy: unknown = null;
  private abandoned = false;

  private constructor(
    private readonly cluster: InternalCluster,
    private readonly txn: InternalTransactionManager,
    private readonly transactionalId: string,
    private readonly conn: Connection,
  ) {}

  static async connect(conn: Connection, transactionalId: string): Promise<TransactionalPublisher> {
    const kafka = createKafka(conn, {clientIdSuffix: 'txn'});
    const cluster = createInternalCluster(kafka);
    const txn = createTransactionManager(kafka, cluster, transactionalId);
    try {
      await cluster.connect();
      await txn.initProducerId();
    } catch (error) {
      await cluster.disconnect().catch(() => {});
      throw translateKafkaError(error, conn);
    }
    return new TransactionalPublisher(cluster, txn, transactionalId, conn);
  }

  /**
   * Dies as a killed process does: the transaction in flight, if any, sends nothing
   * more and stays open (its records may be in the log, uncommitted); the next writer
   * with this transactional id aborts it when it starts.
   */
  abandon(): void {
    this.abandoned = true;
  }

  private step(): void {
    if (this.abandoned) throw new AbandonedError();
  }

  /** Sends `messages` and commits `offsets` in one transaction; aborts it and throws if any step fails. */
  async commit(messages: OutgoingMessage[], offsets?: TransactionOffsets): Promise<void> {
    if (messages.length === 0 && (!offsets || offsets.offsets.size === 0)) return;
    this.step();
    if (this.fencedBy) throw translateKafkaError(this.fencedBy, this.conn);
    try {
      if (this.broken) {
        await this.txn.initProducerId();
        this.broken = false;
      }
      this.txn.beginTransaction();
    } catch (error) {
      throw translateKafkaError(error, this.conn);
    }
    try {
      if (messages.length > 0) await this.send(messages);
      if (offsets && offsets.offsets.size > 0) {
        this.step();
        await this.txn.sendOffsets({
          consumerGroupId: offsets.groupId,
          topics: [{topic: offsets.topic, partitions: [...offsets.offsets].map(([partition, offset]) => ({partition, offset: String(offset)}))}],
        });
      }
      this.step();
      await this.txn.commit();
    } catch (error) {
      if (error instanceof AbandonedError) throw error;
      this.broken = true;
      if (FENCING.has((error as {type?: string}).type ?? '')) this.fencedBy = error;
      await this.txn.abort().catch(() => {});
      throw translateKafkaError(error, this.conn);
    }
  }

  private async send(messages: OutgoingMessage[]): Promise<void> {
    const topics = [...new Set(messages.map((m) => m.topic))];
    await this.cluster.addMultipleTargetTopics(topics);
    await this.cluster.refreshMetadataIfNecessary();
    const leaders = new Map(topics.map((t) => [t, new Map(this.cluster.findTopicPartitionMetadata(t).map((p) => [p.partitionId, p.leader]))]));
    const batches = partitionBatches(messages, (m) => this.partitionOf(m));
    for (const b of batches) if (!leaders.get(b.topic)!.has(b.partition)) throw noSuchPartition(b.topic, b.partition, leaders.get(b.topic)!.size);
    const added = new Set<string>();
    // Rounds of one request per leader, each with at most one batch per partition (a partition's batches go in order).
    let rest = batches;
    while (rest.length > 0) {
      const round = new Map<number, PartitionBatch[]>();
      const taken = new Set<string>();
      const later: PartitionBatch[] = [];
      for (const b of rest) {
        const id = `${b.topic}\u0000${b.partition}`;
        if (taken.has(id)) {
          later.push(b);
          continue;
        }
        taken.add(id);
        const leader = leaders.get(b.topic)!.get(b.partition)!;
        round.set(leader, [...(round.get(leader) ?? []), b]);
      }
      const fresh = [...taken].filter((id) => !added.has(id));
      if (fresh.length > 0) {
        await this.txn.addPartitionsToTransaction(byTopic(fresh.map((id) => id.split('\u0000') as [string, string])));
        for (const id of fresh) added.add(id);
      }
      for (const [leader, list] of round) await this.produce(leader, list);
      rest = later;
    }
  }

  private async produce(leader: number, batches: PartitionBatch[]): Promise<void> {
    this.step();
    const broker = await this.cluster.findBroker({nodeId: leader});
    const numbered = batches.map((b) => ({...b, baseSequence: this.txn.getSequence(b.topic, b.partition)}));
    for (const b of numbered) this.txn.updateSequence(b.topic, b.partition, b.records.length);
    await produceBatches(broker, {transactionalId: this.transactionalId, producerId: Number(this.txn.getProducerId()), producerEpoch: this.txn.getProducerEpoch()}, numbered);
  }

  private partitionOf(m: OutgoingMessage): number {
    const partitionMetadata = this.cluster.findTopicPartitionMetadata(m.topic) as unknown as PartitionMetadata[];
    return this.partitioner({topic: m.topic, partitionMetadata, message: {key: m.key, value: m.value}});
  }

  async close(): Promise<void> {
    await this.cluster.disconnect().catch(() => {});
  }
}

/** A commit() of an abandoned writer: nothing more was sent, the transaction is left open. */
export class AbandonedError extends Error {
  constructor() {
    super('the writer was abandoned mid-transaction: its transaction stays open until the next writer with its id aborts it');
  }
}

/** Errors saying a newer producer holds the transactional id. */
const FENCING = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'INVALID_PRODUCER_ID_MAPPING']);

function byTopic(pairs: Array<[string, string]>): Array<{topic: string; partitions: Array<{partition: number}>}> {
  const out = new Map<string, Array<{partition: number}>>();
  for (const [topic, partition] of pairs) out.set(topic, [...(out.get(topic) ?? []), {partition: Number(partition)}]);
  return [...out].map(([topic, partitions]) => ({topic, partitions}));
}
