import {createRequire} from 'node:module';
import type {Kafka} from 'kafkajs';

const require = createRequire(import.meta.url);

/**
 * kafkajs has no group-less consumer, but its Cluster and Broker objects (used by
 * its own consumer) can fetch any partition directly. kpat pins kafkajs 2.2.4;
 * these are the few internal shapes it relies on, kept in this one file.
 */
export interface InternalBroker {
  /** Throws the first partition's error (a KafkaJSProtocolError with its `type`). */
  offsetCommit(req: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: Array<{topic: string; partitions: Array<{partition: number; offset: string}>}>;
  }): Promise<unknown>;
  /** Where its requests go: kpat sends the fetches it decodes itself through it (fetch-batches.ts). */
  connectionPool: {send(req: {request: object; response: object; requestTimeout?: number}): Promise<unknown>};
  disconnect(): Promise<void>;
}

export interface InternalCluster {
  /** Its retry settings (kafkajs' own retrier reads them). */
  retry?: object;
  connect(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): Array<{partitionId: number; leader: number}>;
  findBroker(q: {nodeId: number}): Promise<InternalBroker>;
  findGroupCoordinator(q: {groupId: string}): Promise<InternalBroker>;
  fetchTopicsOffset(
    topics: Array<{topic: string; partitions: Array<{partition: number}>; fromBeginning?: boolean; fromTimestamp?: number}>,
  ): Promise<Array<{topic: string; partitions: Array<{partition: number; offset: string}>}>>;
}

/**
 * kafkajs' transaction manager (producer/eosManager): producer id and epoch, sequence
 * numbers per partition, and the coordinator's side of a transaction (InitProducerId,
 * AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn).
 */
export interface InternalTransactionManager {
  initProducerId(): Promise<void>;
  isInitialized(): boolean;
  getProducerId(): number;
  getProducerEpoch(): number;
  getSequence(topic: string, partition: number): number;
  updateSequence(topic: string, partition: number, increment: number): void;
  beginTransaction(): void;
  addPartitionsToTransaction(topicData: Array<{topic: string; partitions: Array<{partition: number}>}>): Promise<void>;
  sendOffsets(req: {consumerGroupId: string; topics: Array<{topic: string; partitions: Array<{partition: number; offset: string}>}>}): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export function createTransactionManager(kafka: Kafka, cluster: InternalCluster, transactionalId: string): InternalTransactionManager {
  const create = require('kafkajs/src/producer/eosManager/index.js') as (opts: object) => InternalTransactionManager;
  return create({logger: kafka.logger(), cluster, transactional: true, transactionalId});
}

/** 1 = read_committed (kafkajs' default), 0 = read_uncommitted; it also decides what ListOffsets calls the end. */
export type IsolationLevel = 0 | 1;

export function createInternalCluster(kafka: Kafka, isolationLevel: IsolationLevel = 1): InternalCluster {
  const key = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (!key) throw new Error('this kafkajs version does not expose its cluster factory (kpat needs kafkajs 2.2.4)');
  const factory = (kafka as unknown as Record<symbol, (opts: object) => InternalCluster>)[key]!;
  return factory({allowAutoTopicCreation: false, isolationLevel});
}
