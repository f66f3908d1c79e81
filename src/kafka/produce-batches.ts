import {createRequire} from 'node:module';
import {OperationError} from '../core/errors.js';
import {plural} from '../core/plural.js';
import {encodeRecordBatch, type RecordInput} from '../broker/protocol/record-batch.js';
import type {InternalBroker} from './kafkajs-internals.js';
import type {OutgoingMessage} from './publisher.js';

/**
 * Produce requests whose record batches kpat encodes itself, with the batch codec
 * the embedded broker uses: kafkajs builds an object per record, groups messages
 * per partition in quadratic time and encodes through its Long type, which made
 * it most of a transactional writer's CPU time. The request is Produce v3 (the
 * version that carries a transactional id; every Kafka since 0.11 answers it),
 * sent over kafkajs' connection; kafkajs decodes the answer and names its errors.
 */
const require = createRequire(import.meta.url);

interface KafkajsEncoder {
  writeString(s: string | null): KafkajsEncoder;
  writeInt16(n: number): KafkajsEncoder;
  writeInt32(n: number): KafkajsEncoder;
  writeBuffer(b: Buffer): KafkajsEncoder;
  writeArray(items: KafkajsEncoder[]): KafkajsEncoder;
}
const Encoder = require('kafkajs/src/protocol/encoder.js') as new () => KafkajsEncoder;
const produceV3Response = require('kafkajs/src/protocol/requests/produce/v3/response.js') as object;

/** A batch's records must stay under max.message.bytes (1 MiB by default): batches are cut at about half that. */
export const BATCH_BYTES = 512 * 1024;

export interface ProducerIdentity {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
}

export interface PartitionBatch {
  topic: string;
  partition: number;
  records: RecordInput[];
}

const sizeOf = (v: Buffer | string | null | undefined) => (v == null ? 0 : typeof v === 'string' ? 3 * v.length : v.length);

/** The messages as batches per topic-partition, in order, each under BATCH_BYTES; `partitionOf` places a message without a partition. */
export function partitionBatches(messages: OutgoingMessage[], partitionOf: (m: OutgoingMessage) => number): PartitionBatch[] {
  const open = new Map<string, {batch: PartitionBatch; bytes: number}>();
  const out: PartitionBatch[] = [];
  const now = Date.now();
  for (const m of messages) {
    const partition = m.partition ?? partitionOf(m);
    const id = `${m.topic}\u0000${partition}`;
    let size = 24 + sizeOf(m.key) + sizeOf(m.value);
    for (const h in m.headers) size += h.length + sizeOf(m.headers[h]);
    let current = open.get(id);
    if (!current || (current.bytes + size > BATCH_BYTES && current.batch.records.length > 0)) {
      current = {batch: {topic: m.topic, partition, records: []}, bytes: 0};
      open.set(id, current);
      out.push(current.batch);
    }
    current.batch.records.push({key: m.key, value: m.value, timestamp: m.timestamp ?? now, headers: m.headers ? Object.entries(m.headers).map(([key, value]) => ({key, value})) : undefined});
    current.bytes += size;
  }
  return out;
}

/** One Produce v3 request with acks=all: one batch per partition, numbered from `sequences`. Throws kafkajs' error for the first partition that failed. */
export async function produceBatches(broker: InternalBroker, who: ProducerIdentity, batches: Array<PartitionBatch & {baseSequence: number}>, timeoutMs = 30_000): Promise<void> {
  const byTopic = new Map<string, KafkajsEncoder[]>();
  for (const b of batches) {
    const encoded = encodeRecordBatch({records: b.records, producerId: who.producerId, producerEpoch: who.producerEpoch, baseSequence: b.baseSequence, transactional: true});
    const partition = new Encoder().writeInt32(b.partition).writeInt32(encoded.length).writeBuffer(encoded);
    const list = byTopic.get(b.topic);
    if (list) list.push(partition);
    else byTopic.set(b.topic, [partition]);
  }
  const request = {
    apiKey: 0,
    apiVersion: 3,
    apiName: 'Produce',
    expectResponse: () => true,
    encode: async () =>
      new Encoder()
        .writeString(who.transactionalId)
        .writeInt16(-1)
        .writeInt32(timeoutMs)
        .writeArray([...byTopic].map(([topic, partitions]) => new Encoder().writeString(topic).writeArray(partitions))),
  };
  let answer: ProduceAnswer;
  try {
    answer = (await broker.connectionPool.send({request, response: produceV3Response})) as ProduceAnswer;
  } catch (error) {
    if ((error as {name?: string}).name === 'KafkaJSConnectionClosedError') await broker.disconnect().catch(() => {});
    throw error;
  }
  // kafkajs has thrown for error codes; a partition missing from the answer, or without an offset, was not written either.
  for (const b of batches) {
    const got = answer.topics.find((t) => t.topicName === b.topic)?.partitions.find((p) => p.partition === b.partition);
    if (!got || Number(got.baseOffset) < 0) {
      throw new OperationError(`${plural(b.records.length, 'record')} to ${b.topic} partition ${b.partition} not acknowledged: the broker assigned no offset — nothing there can be assumed written; check the topic with \`kpat topics describe ${b.topic}\``);
    }
  }
}

interface ProduceAnswer {
  topics: Array<{topicName: string; partitions: Array<{partition: number; errorCode: number; baseOffset: string}>}>;
}
