import {translateKafkaError} from './client.js';
import {sleep} from '../core/sleep.js';
import type {Connection} from './connection.js';
import type {KpatError} from '../core/errors.js';
import {readPartitions, type ReadOptions, type StartPosition} from './partition-reader.js';
import type {ConsumedRecord} from './records.js';

export interface TailOptions extends Omit<ReadOptions, 'positions' | 'stopAtEnd'> {
  /** Pause between attempts after a failure. */
  retryMs?: number;
  /** Told about each failure before the next attempt. */
  onError?: (error: KpatError) => void;
}

/**
 * Reads partitions like readPartitions (group-less, commits nothing) until the signal
 * aborts, surviving broker restarts: after a failure it waits and resumes at the next
 * offset of each partition, so nothing is skipped or repeated.
 */
export async function* tailPartitions(conn: Connection, opts: TailOptions): AsyncGenerator<ConsumedRecord> {
  const positions = new Map<number, number>();
  while (!opts.signal?.aborted) {
    const start: StartPosition = positions.size > 0 ? {kind: 'positions', positions: new Map(positions), otherwise: opts.start} : opts.start;
    try {
      yield* readPartitions(conn, {...opts, start, positions});
      return;
    } catch (error) {
      if (opts.signal?.aborted) return;
      opts.onError?.(translateKafkaError(error, conn));
      await sleep(opts.retryMs ?? 1000, opts.signal);
    }
  }
}
