import type {Kafka} from 'kafkajs';

/**
 * kafkajs has no group-less consumer, but its Cluster and Broker objects (used by
 * its own consumer) can fetch any partition directly. kpat pins kafkajs 2.2.4;
 * these are the few internal shapes it relies on, kept in this one file.
 */
export interface InternalFetchPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  lastStableOffset: string;
  logStartOffset?: string;
  abortedTransactions?: Array<{producerId: string; firstOffset: string}>;
  messages: Array<{
    offset: string;
    timestamp: string;
    key: Buffer | null;
    value: Buffer | null;
    headers: Record<string, Buffer | Buffer[] | undefined>;
    isControlRecord?: boolean;
    /** The record's batch header, as kafkajs decodes it. */
    batchContext?: InternalBatchContext;
  }>;
}

export type InternalFetchMessage = InternalFetchPartition['messages'][number];

export interface InternalBatchContext {
  producerId: string;
  inTransaction: boolean;
  firstOffset?: string;
  lastOffsetDelta?: number;
  producerEpoch?: number;
  firstSequence?: number;
  isControlBatch?: boolean;
  firstTimestamp?: string;
  maxTimestamp?: string;
}

export interface InternalBroker {
  fetch(req: {
    replicaId?: number;
    isolationLevel?: number;
    maxWaitTime?: number;
    minBytes?: number;
    maxBytes?: number;
    topics: Array<{topic: string; partitions: Array<{partition: number; fetchOffset: string; maxBytes: number}>}>;
  }): Promise<{responses: Array<{topicName: string; partitions: InternalFetchPartition[]}>}>;
  /** Throws the first partition's error (a KafkaJSProtocolError with its `type`). */
  offsetCommit(req: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: Array<{topic: string; partitions: Array<{partition: number; offset: string}>}>;
  }): Promise<unknown>;
}

export interface InternalCluster {
  connect(): Promise<void>;
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

/** 1 = read_committed (kafkajs' default), 0 = read_uncommitted; it also decides what ListOffsets calls the end. */
export type IsolationLevel = 0 | 1;

export function createInternalCluster(kafka: Kafka, isolationLevel: IsolationLevel = 1): InternalCluster {
  const key = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (!key) throw new Error('this kafkajs version does not expose its cluster factory (kpat needs kafkajs 2.2.4)');
  const factory = (kafka as unknown as Record<symbol, (opts: object) => InternalCluster>)[key]!;
  return factory({allowAutoTopicCreation: false, isolationLevel});
}
