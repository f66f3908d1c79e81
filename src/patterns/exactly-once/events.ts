import type {ErrorInfo, RecordRef} from '../events.js';

export type ProcessingMode = 'at-least-once' | 'idempotent' | 'transactional';

/** A partition's next offset to read: what a commit stores and where a resume starts. */
export interface PartitionOffset {
  partition: number;
  offset: number;
}

/** Why a transaction did not commit: the user's transform threw, an injected fault, the write failed, or the partition went away mid-unit. */
export type AbortCause = 'transform' | 'injected' | 'produce' | 'revoked';

/**
 * What the processor did, per instance (one consumer-group member). In the
 * non-transactional modes a "transaction" is one produce-then-commit unit: the
 * same events, so a view can show the three modes side by side.
 */
export type ProcessorEvent =
  | {type: 'instance-started'; at: number; instance: string}
  | {type: 'transaction-begun'; at: number; instance: string; partition: number; transactionalId: string | null}
  /** A record the processor's filter refused (another run's): no outputs, its offset is committed past with its unit. */
  | {type: 'skipped'; at: number; instance: string; record: RecordRef; reason: string}
  | {type: 'record-processed'; at: number; instance: string; record: RecordRef; outputs: number}
  | {type: 'transaction-committed'; at: number; instance: string; partition: number; records: number; outputs: number; offsets: PartitionOffset[]}
  | {type: 'transaction-aborted'; at: number; instance: string; partition: number; records: number; cause: AbortCause; reason: ErrorInfo}
  /** Another instance took this partition's transactional id: this one stops processing the partition. */
  | {type: 'fenced'; at: number; instance: string; partition: number; transactionalId: string}
  /** Where the instance reads on, from the group's committed offsets: on taking a partition, and after an abort. */
  | {type: 'resumed-from'; at: number; instance: string; offsets: PartitionOffset[]}
  /** Fault: the instance died after producing and before committing; nothing was committed or aborted. */
  | {type: 'crashed'; at: number; instance: string; partition: number; records: number}
  /** Fault: the instance stopped heartbeating and processing, with its transaction open. */
  | {type: 'stalled'; at: number; instance: string; partition: number}
  | {type: 'woke'; at: number; instance: string; partition: number}
  | {type: 'instance-stopped'; at: number; instance: string; reason: 'stopped' | 'crashed' | 'fenced' | 'failed'; error?: ErrorInfo};
