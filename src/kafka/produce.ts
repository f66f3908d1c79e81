import kafkajs, {type Message, type CompressionTypes as CompressionType} from 'kafkajs';
import {DeliveryCheck} from './delivery.js';
import {createKafka, translateKafkaError} from './client.js';
import type {Connection} from './connection.js';
import {ConfigError} from '../core/errors.js';

const {CompressionTypes} = kafkajs;

export interface OutgoingRecord {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string>;
  partition?: number;
  timestamp?: number;
}

export type Acks = -1 | 0 | 1;
export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

const CODEC: Record<Compression, CompressionType> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

export interface ProduceOptions {
  topic: string;
  acks: Acks;
  compression?: Compression;
  /** Records sent per request. */
  batchSize?: number;
  /** Value bytes sent per request at most (a lone larger record goes alone): the broker refuses a batch over max.message.bytes. */
  maxBatchBytes?: number;
}

export interface ProducedRecord {
  partition: number;
  /** Offset assigned by the broker; null with acks=0 (the broker answers nothing). */
  offset: number | null;
}

export function parseAcks(value: string): Acks {
  if (value === 'all' || value === '-1') return -1;
  if (value === '0') return 0;
  if (value === '1') return 1;
  throw new ConfigError(`--acks must be all (-1), 1 or 0, got "${value}"`);
}

/**
 * Sends records in batches with one producer and reports, per record in input
 * order, where it landed.
 */
export async function produceRecords(
  conn: Connection,
  records: AsyncIterable<OutgoingRecord> | Iterable<OutgoingRecord>,
  opts: ProduceOptions,
  onProduced?: (r: ProducedRecord, index: number) => void,
): Promise<{count: number; partitions: Set<number>}> {
  const delivery = new DeliveryCheck();
  const producer = createKafka(conn, {fast: true}).producer({allowAutoTopicCreation: true, createPartitioner: delivery.partitioner});
  const batchSize = opts.batchSize ?? 500;
  const partitions = new Set<number>();
  let count = 0;
  let batch: OutgoingRecord[] = [];
  let batchBytes = 0;

  const send = async () => {
    if (batch.length === 0) return;
    const messages: Message[] = batch.map((r) => ({
      key: r.key ?? null,
      value: r.value,
      headers: r.headers,
      partition: r.partition,
      timestamp: r.timestamp !== undefined ? String(r.timestamp) : undefined,
    }));
    const meta = await producer.send({
      topic: opts.topic,
      acks: opts.acks,
      compression: CODEC[opts.compression ?? 'none'],
      messages,
    });
    delivery.verify([{topic: opts.topic, messages}], meta, opts.acks);
    // kafkajs returns one entry per partition with the base offset of what it wrote there, in message order.
    const nextOffset = new Map(meta.map((m) => [m.partition, m.baseOffset !== undefined && opts.acks !== 0 ? Number(m.baseOffset) : null]));
    messages.forEach((message, i) => {
      const partition = delivery.partitionOf(message);
      const offset = nextOffset.get(partition) ?? null;
      if (offset !== null) nextOffset.set(partition, offset + 1);
      partitions.add(partition);
      onProduced?.({partition, offset}, count + i);
    });
    count += batch.length;
    batch = [];
    batchBytes = 0;
  };

  try {
    await producer.connect();
    for await (const record of records) {
      const bytes = record.value?.length ?? 0;
      if (opts.maxBatchBytes !== undefined && batchBytes + bytes > opts.maxBatchBytes) await send();
      batch.push(record);
      batchBytes += bytes;
      if (batch.length >= batchSize) await send();
    }
    await send();
    return {count, partitions};
  } catch (error) {
    throw translateKafkaError(error, conn, {topic: opts.topic, operation: 'WRITE'});
  } finally {
    await producer.disconnect().catch(() => {});
  }
}
