/**
 * Writes transaction markers: one control batch per partition of a transaction, exactly as
 * Kafka writes them (attributes transactional + control, one record at one offset, the
 * producer's id and epoch, no sequence), and moves the partition's last stable offset.
 */
import type {AppendSignal} from '../append-signal.js';
import type {PartitionLog} from '../log/index.js';
import {encodeRecordBatch} from '../protocol/record-batch.js';
import type {TopicStore} from '../topics.js';
import {markerRecord, type MarkerType} from './partition-txns.js';
import type {ProducerStateRegistry} from './producer-registry.js';

/** This node is the only coordinator there ever is, so its epoch never changes. */
const COORDINATOR_EPOCH = 0;

export interface MarkerDeps {
  topics: TopicStore;
  producers: ProducerStateRegistry;
  appended: AppendSignal;
  logger: (line: string) => void;
}

/** Appends a marker to every partition still there; resolves once they are flushed. */
export async function writeMarkers(
  deps: MarkerDeps,
  partitions: Array<[topic: string, partition: number]>,
  producerId: number,
  producerEpoch: number,
  type: MarkerType,
): Promise<void> {
  const now = Date.now();
  const written: PartitionLog[] = [];
  for (const [topic, partition] of partitions) {
    const log = deps.topics.partition(topic, partition);
    if (!log) continue; // deleted since it joined the transaction: nothing left to mark
    const state = deps.producers.forLog(log);
    const batch = encodeRecordBatch({
      records: [markerRecord(type, COORDINATOR_EPOCH)],
      baseTimestamp: now,
      producerId,
      producerEpoch,
      baseSequence: -1,
      transactional: true,
      control: true,
    });
    const {baseOffset} = log.append(batch, now, {origin: 'broker'});
    state.txns.onMarker(producerId, type, baseOffset);
    written.push(log);
  }
  if (written.length > 0) deps.appended.notify();
  await Promise.all(written.map((log) => log.flush()));
}
