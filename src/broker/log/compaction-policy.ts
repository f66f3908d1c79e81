/**
 * What `cleanup.policy=compact` asks of appends: every record needs a key, since the cleaner keeps
 * the latest record per key and a keyless one could never be superseded (Kafka's LogValidator).
 */
import {ErrorCode, KafkaProtocolError} from '../protocol/errors.js';
import {Compression, decodeRecords, iterateBatches} from '../protocol/record-batch.js';

/** cleanup.policy values that turn the cleaner on ('compact', 'compact,delete', 'delete,compact'). */
export function isCompactPolicy(policy: string): boolean {
  return policy.split(',').some((p) => p.trim() === 'compact');
}

/** 'delete' as well as 'compact': retention also applies. */
export function isDeletePolicy(policy: string): boolean {
  return policy.split(',').some((p) => p.trim() === 'delete');
}

/**
 * Refuses batches holding a record without a key, with Kafka's error (INVALID_RECORD) and wording.
 * Batches of codecs the broker cannot decode (snappy, lz4, zstd) are let through unchecked.
 */
export function assertKeyedRecords(records: Buffer, topicPartition: string): void {
  for (const {position, header} of iterateBatches(records)) {
    if (header.isControl) continue;
    if (header.compression !== Compression.none && header.compression !== Compression.gzip) continue;
    for (const record of decodeRecords(records, position)) {
      if (record.key === null) {
        throw new KafkaProtocolError(
          ErrorCode.INVALID_RECORD,
          `Compacted topic cannot accept message without key in topic partition ${topicPartition}.`,
        );
      }
    }
  }
}
