import {readBatchHeaders} from '../../kafka/batch-headers.js';
import type {Connection} from '../../kafka/connection.js';
import {sleep} from '../../core/sleep.js';
import type {EosKindEvent} from './events.js';

/**
 * Follows one partition of the transactional output and tells the view each
 * batch header as the log holds it (producer id, epoch, sequences, COMMIT and
 * ABORT markers): the run reads Kafka, the view only shows events.
 */
export function tailBatchHeaders(conn: Connection, topic: string, partition: number, from: number, emit: (e: EosKindEvent) => void): {stop(): Promise<void>} {
  const stopper = new AbortController();
  let next = from;
  const readOn = async () => {
    try {
      for await (const header of readBatchHeaders(conn, {topic, partitions: [partition], start: {kind: 'offset', offset: next}, stopAtEnd: true, isolation: 'read_uncommitted'})) {
        next = header.lastOffset + 1;
        emit({type: 'eos-batch', at: Date.now(), header});
      }
    } catch {
      // The next round tries again; the view just shows fewer headers meanwhile.
    }
  };
  const loop = (async () => {
    for (;;) {
      // Once stopped, one last read: the final COMMIT markers land just before the pipelines stop.
      const last = stopper.signal.aborted;
      await readOn();
      if (last) return;
      await sleep(500, stopper.signal);
    }
  })();
  return {
    async stop() {
      stopper.abort();
      await loop;
    },
  };
}
