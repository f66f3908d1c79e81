import type {Producer} from 'kafkajs';
import {createKafka, translateKafkaError} from './client.js';
import type {Connection} from './connection.js';
import {DeliveryCheck} from './delivery.js';
import {byTopic, type OutgoingMessage} from './publisher.js';

export interface TransactionOffsets {
  groupId: string;
  topic: string;
  /** The next offset to read, per partition. */
  offsets: ReadonlyMap<number, number>;
}

/**
 * Bytes per produce request, roughly: a request holds one batch per partition and a
 * batch must stay under max.message.bytes (1 MiB by default). Few large requests,
 * not many small ones: each is a round trip the transaction waits for.
 */
const REQUEST_BYTES = 512 * 1024;
/** And at most this many messages: kafkajs groups a request's messages by partition in time quadratic in their number. */
const REQUEST_MESSAGES = 2000;

const sizeOf = (v: Buffer | string | null | undefined) => (v == null ? 0 : typeof v === 'string' ? 3 * v.length : v.length);

/** The messages cut into produce requests of about REQUEST_BYTES each, in order. */
export function requestChunks(messages: OutgoingMessage[]): OutgoingMessage[][] {
  const chunks: OutgoingMessage[][] = [];
  let chunk: OutgoingMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    let size = 70 + sizeOf(m.key) + sizeOf(m.value);
    for (const h in m.headers) size += h.length + sizeOf(m.headers[h]);
    if (chunk.length > 0 && (bytes + size > REQUEST_BYTES || chunk.length >= REQUEST_MESSAGES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(m);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

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
      for (const chunk of requestChunks(messages)) {
        const topicMessages = byTopic(chunk);
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
