import type {BatchHeader} from '../../kafka/batch-headers.js';
import type {EosMode} from './schema.js';

/** One pipeline's running totals, as the live view shows them. */
export interface PipelineStats {
  /** Input records transformed (a record done again counts again). */
  processed: number;
  /** Outputs of the units that committed. */
  outputs: number;
  committed: number;
  aborted: number;
  fenced: number;
  crashes: number;
  zombies: number;
  responsesDropped: number;
  /** Input partitions whose committed offset has reached the end of the run's input. */
  caughtUp: number;
}

/** What the audit found on a pipeline's output topic (read_committed), at the end. */
export interface PipelineAudit {
  outputs: number;
  duplicates: number;
  missing: number;
  abortedTransactions: number;
  uncommittedOnly: number;
}

export type EosFault = 'drop-response' | 'crash' | 'zombie' | 'fenced' | 'failure' | 'aborted';

/** What the exactly-once scenario tells its views besides the common scenario events. */
export type EosKindEvent =
  | {type: 'eos-pipelines'; at: number; partitions: number; pipelines: Record<EosMode, PipelineStats>}
  | {type: 'eos-fault'; at: number; mode: EosMode; fault: EosFault; detail: string}
  /** A batch header of the transactional output's watched partition, as the log holds it. */
  | {type: 'eos-batch'; at: number; header: BatchHeader}
  | {type: 'eos-audit'; at: number; mode: EosMode; audit: PipelineAudit};
