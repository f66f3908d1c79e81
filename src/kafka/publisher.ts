import type {Producer} from 'kafkajs';
import {createKafka, translateKafkaError, type ClientOptions} from './client.js';
import type {Connection} from './connection.js';
import {DeliveryCheck} from './delivery.js';

export type HeaderValue = Buffer | string;

export interface OutgoingMessage {
  topic: string;
  partition?: number;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, HeaderValue>;
  timestamp?: number;
}

export function toKafkajs(m: OutgoingMessage) {
  return {key: m.key, value: m.value, headers: m.headers, partition: m.partition, timestamp: m.timestamp !== undefined ? String(m.timestamp) : undefined};
}

/** kafkajs's sendBatch shape: the messages grouped by topic, in order. */
export function byTopic(messages: OutgoingMessage[]) {
  const grouped = new Map<string, OutgoingMessage[]>();
  for (const m of messages) {
    const list = grouped.get(m.topic);
    if (list) list.push(m);
    else grouped.set(m.topic, [m]);
  }
  return [...grouped].map(([topic, ms]) => ({topic, messages: ms.map(toKafkajs)}));
}

/**
 * A producer that resolves only once the broker has the record durably
 * (acks=all): what a pattern needs before it may commit the source offset.
 */
export class Publisher {
  private constructor(
    private readonly producer: Producer,
    private readonly conn: Connection,
    private readonly delivery: DeliveryCheck,
  ) {}

  /**
   * `idempotent`: the broker drops the copies of a batch the producer retries
   * (one request in flight, so order holds too); `client.fast` gives up after
   * a few quick retries instead of waiting out a long outage.
   */
  static async connect(conn: Connection, clientIdSuffix = 'publisher', opts: {idempotent?: boolean; client?: ClientOptions} = {}): Promise<Publisher> {
    const delivery = new DeliveryCheck();
    const idempotence = opts.idempotent ? {idempotent: true, maxInFlightRequests: 1} : {};
    const producer = createKafka(conn, {...opts.client, clientIdSuffix}).producer({allowAutoTopicCreation: true, createPartitioner: delivery.partitioner, ...idempotence});
    try {
      await producer.connect();
    } catch (error) {
      throw translateKafkaError(error, conn);
    }
    return new Publisher(producer, conn, delivery);
  }

  /** Sends and waits for acks=all. */
  async send(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const topicMessages = byTopic(messages);
    try {
      this.delivery.verify(topicMessages, await this.producer.sendBatch({acks: -1, topicMessages}), -1);
    } catch (error) {
      throw translateKafkaError(error, this.conn);
    }
  }

  /** Sends one message with acks=all and says where it landed. */
  async sendOne(message: OutgoingMessage): Promise<{partition: number; offset: number}> {
    try {
      const messages = [toKafkajs(message)];
      const [result] = await this.producer.send({acks: -1, topic: message.topic, messages});
      this.delivery.verify([{topic: message.topic, messages}], result ? [result] : [], -1);
      return {partition: result!.partition, offset: Number(result!.baseOffset)};
    } catch (error) {
      throw translateKafkaError(error, this.conn);
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => {});
  }
}
