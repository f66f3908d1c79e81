import kafkajs, {type ICustomPartitioner, type Message, type RecordMetadata} from 'kafkajs';
import {noSuchPartition, OperationError} from '../core/errors.js';
import {plural} from '../core/plural.js';

const {Partitioners} = kafkajs;

/**
 * What every kpat producer needs so that no record goes missing silently.
 * kafkajs drops messages addressed to a partition its metadata does not list
 * (it sends them nowhere and reports success), and its send() result is per
 * partition, so a partition missing from the result, an error code or a
 * missing base offset is a record the broker never acknowledged.
 */
export class DeliveryCheck {
  /** The partition each message went to (kafkajs reports offsets per partition only). */
  private readonly chosen = new WeakMap<Message, number>();

  /** The Java-compatible default partitioner, refusing partitions the topic does not have. */
  readonly partitioner: ICustomPartitioner = () => {
    const partitioner = Partitioners.DefaultPartitioner();
    return (args) => {
      const partition = partitioner(args);
      if (!args.partitionMetadata.some((p) => p.partitionId === partition)) {
        throw noSuchPartition(args.topic, partition, args.partitionMetadata.length);
      }
      this.chosen.set(args.message, partition);
      return partition;
    };
  };

  partitionOf(message: Message): number {
    return this.chosen.get(message) ?? message.partition ?? -1;
  }

  /**
   * Throws unless the broker acknowledged every partition written to (acks 1 or
   * all; acks=0 asks for no answer, so only the partition check above applies).
   */
  verify(sent: Array<{topic: string; messages: Message[]}>, results: RecordMetadata[], acks: number): void {
    if (acks === 0) return;
    for (const {topic, messages} of sent) {
      const counts = new Map<number, number>();
      for (const m of messages) {
        const p = this.partitionOf(m);
        counts.set(p, (counts.get(p) ?? 0) + 1);
      }
      for (const [partition, count] of counts) {
        const r = results.find((x) => x.topicName === topic && x.partition === partition);
        if (!r) throw notAcknowledged(topic, partition, count, 'the broker did not answer for it');
        if (r.errorCode !== 0) throw notAcknowledged(topic, partition, count, `the broker answered error code ${r.errorCode}`);
        if (r.baseOffset === undefined || Number(r.baseOffset) < 0) throw notAcknowledged(topic, partition, count, 'the broker assigned no offset');
      }
    }
  }
}

const notAcknowledged = (topic: string, partition: number, count: number, why: string) =>
  new OperationError(`${plural(count, 'record')} to ${topic} partition ${partition} not acknowledged: ${why} — nothing there can be assumed written; check the topic with \`kpat topics describe ${topic}\``);
