import type {Producer} from 'kafkajs';
import {createKafka, translateKafkaError} from './client.js';
import type {Connection} from './connection.js';
import {DeliveryCheck} from './delivery.js';
import type {OutgoingMessage} from './publisher.js';

export interface TransactionOffsets {
  groupId: string;
  topic: string;
  /** The next offset to read, per partition. */
  offsets: ReadonlyMap<number, number>;
}

/** Messages per produce request: one request holds one batch per partition, and a batch must stay under max.message.bytes. */
const CHUNK = 500;

/**
 * A transactional producer: each commit() writes its messages and a group's
 * source offsets atomically (all visible to read_committed readers, or none).
 * A second process with the same transactional id fences the first and aborts
 * what it left open, so a crashed writer's half-done work never shows.
 */
export class TransactionalPublisher {
  private constructor(
    private readonly producer: Producer,
    private readonly conn: Connection,
    private readonly delivery: DeliveryCheck,
  ) {}

  static async connect(conn: Connection, transactionalId: string): Promise<TransactionalPublisher> {
    const delivery = new DeliveryCheck();
    const producer = createKafka(conn, {clientIdSuffix: 'txn'}).producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: delivery.partitioner,
    });
    try {
      await producer.connect();
    } catch (error) {
      throw translateKafkaError(error, conn);
    }
    return new TransactionalPublisher(producer, conn, delivery);
  }

  /** Sends `messages` and commits `offsets` in one transaction; aborts it and throws if any step fails. */
  async commit(messages: OutgoingMessage[], offsets?: TransactionOffsets): Promise<void> {
    if (messages.length === 0 && (!offsets || offsets.offsets.size === 0)) return;
    const txn = await this.producer.transaction().catch((error: unknown) => {
      throw translateKafkaError(error, this.conn);
    });
    try {
      for (let i = 0; i < messages.length; i += CHUNK) {
        const byTopic = new Map<string, OutgoingMessage[]>();
        for (const m of messages.slice(i, i + CHUNK)) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
        const topicMessages = [...byTopic].map(([topic, ms]) => ({
          topic,
          messages: ms.map((m) => ({key: m.key, value: m.value, headers: m.headers, partition: m.partition, timestamp: m.timestamp !== undefined ? String(m.timestamp) : undefined})),
        }));
        this.delivery.verify(topicMessages, await txn.sendBatch({acks: -1, topicMessages}), -1);
      }
      if (offsets && offsets.offsets.size > 0) {
        await txn.sendOffsets({
          consumerGroupId: offsets.groupId,
          topics: [{topic: offsets.topic, partitions: [...offsets.offsets].map(([partition, offset]) => ({partition, offset: String(offset)}))}],
        });
      }
      await txn.commit();
    } catch (error) {
      await txn.abort().catch(() => {});
      throw translateKafkaError(error, this.conn);
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => {});
  }
}
