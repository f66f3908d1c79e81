/**
 * The registry's store in a compacted `_schemas` topic, as Confluent's registry
 * keeps it: read whole on start, each change produced with acks=all before the
 * registry answers. The topic is created on the first change, so a stack that
 * never registers a schema has no extra topic.
 */
import {readBatchHeader} from '../broker/protocol/batch-header.js';
import {decodeRecords, encodeRecordBatch} from '../broker/protocol/batch-records.js';
import {ErrorCode} from '../broker/protocol/errors.js';
import {CreateTopicsRequestSchema, CreateTopicsResponseSchema} from '../broker/protocol/messages/create-topics.js';
import {FetchRequestSchema, FetchResponseSchema} from '../broker/protocol/messages/fetch.js';
import {ProduceRequestSchema, ProduceResponseSchema} from '../broker/protocol/messages/produce.js';
import type {SchemaStore, StoreEntry} from '../registry/schema-store.js';
import {BrokerWire, type WireSecurity} from './broker-wire.js';

export const SCHEMAS_TOPIC = '_schemas';
const FETCH_BYTES = 4 * 1024 * 1024;

export class SchemasTopicStore implements SchemaStore {
  private created = false;

  private constructor(
    private readonly wire: BrokerWire,
    private readonly topic: string,
  ) {}

  static async connect(host: string, port: number, topic = SCHEMAS_TOPIC, security: WireSecurity = {}): Promise<SchemasTopicStore> {
    return new SchemasTopicStore(await BrokerWire.connect(host, port, 'kpat-registry', security), topic);
  }

  async readAll(): Promise<StoreEntry[]> {
    const entries: StoreEntry[] = [];
    let offset = 0;
    for (;;) {
      const response = await this.wire.request(FetchRequestSchema, FetchResponseSchema, 4, {
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: FETCH_BYTES,
        isolationLevel: 0,
        topics: [{topic: this.topic, partitions: [{partition: 0, fetchOffset: offset, partitionMaxBytes: FETCH_BYTES}]}],
        forgottenTopicsData: [],
      });
      const part = response.responses[0]?.partitions[0];
      if (!part || part.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) return entries;
      this.created = true;
      if (part.errorCode !== 0) throw new Error(`reading ${this.topic} at offset ${offset} failed with Kafka error ${part.errorCode}`);
      const end = Number(part.highWatermark);
      const records = part.records ?? Buffer.alloc(0);
      let pos = 0;
      while (pos + 12 <= records.length) {
        const header = readBatchHeader(records, pos);
        if (pos + header.sizeInBytes > records.length) break; // a partial batch: fetched again from its offset
        if (!header.isControl) {
          for (const r of decodeRecords(records, pos)) {
            if (r.offset < offset || !r.key) continue;
            entries.push({key: r.key.toString('utf8'), value: r.value === null ? null : r.value.toString('utf8')});
          }
        }
        offset = Math.max(offset, header.lastOffset + 1);
        pos += header.sizeInBytes;
      }
      if (offset >= end) return entries;
      if (pos === 0) throw new Error(`reading ${this.topic} at offset ${offset}: a batch larger than ${FETCH_BYTES} bytes`);
    }
  }

  async append(entries: StoreEntry[]): Promise<void> {
    if (!this.created) await this.createTopic();
    const batch = encodeRecordBatch({records: entries.map((e) => ({key: e.key, value: e.value}))});
    const response = await this.wire.request(ProduceRequestSchema, ProduceResponseSchema, 3, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 30_000,
      topicData: [{name: this.topic, partitionData: [{index: 0, records: batch}]}],
    });
    const code = response.responses[0]?.partitionResponses[0]?.errorCode;
    if (code !== 0) throw new Error(`writing to ${this.topic} failed with Kafka error ${code ?? 'no answer'}`);
  }

  async close(): Promise<void> {
    this.wire.close();
  }

  private async createTopic(): Promise<void> {
    const response = await this.wire.request(CreateTopicsRequestSchema, CreateTopicsResponseSchema, 0, {
      topics: [{name: this.topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [{name: 'cleanup.policy', value: 'compact'}]}],
      timeoutMs: 30_000,
    });
    const code = response.topics[0]?.errorCode ?? 0;
    if (code !== 0 && code !== ErrorCode.TOPIC_ALREADY_EXISTS) throw new Error(`creating ${this.topic} failed with Kafka error ${code}`);
    this.created = true;
  }
}
