/**
 * Idempotent producer state for every partition, built from the log the first time a batch with
 * a producer id reaches the partition (after a restart too): the state is a function of the
 * batch headers in the log, so a batch resent after a broker crash is still recognised. Logs
 * that only see plain producers never pay for the walk. Keyed by the log object, so a deleted
 * topic's state goes with its logs, and a topic created again under the same name starts fresh.
 */
import type {PartitionLog} from '../log/index.js';
import {iterateBatches} from '../protocol/record-batch.js';
import {markerTypeAt} from './partition-txns.js';
import {PartitionProducers} from './producer-state.js';

// Rebuild reads the log in slices of this size (whole batches; a larger batch comes whole).
const REBUILD_READ_BYTES = 1024 * 1024;

export class ProducerStateRegistry {
  private readonly states = new WeakMap<PartitionLog, PartitionProducers>();

  constructor(private readonly logger: (line: string) => void = () => {}) {}

  /** The state of `log` if it was built already (a log never asked for needs no update). */
  peek(log: PartitionLog): PartitionProducers | undefined {
    return this.states.get(log);
  }

  forLog(log: PartitionLog): PartitionProducers {
    let state = this.states.get(log);
    if (!state) {
      state = rebuild(log);
      this.states.set(log, state);
      if (state.producerCount > 0) this.logger(`${log.dir}: rebuilt the state of ${state.producerCount} idempotent producer(s) from the log`);
    }
    return state;
  }
}

/** Replays the producer fields of every batch, and every transaction marker, from the log start to the log end. */
export function rebuild(log: PartitionLog): PartitionProducers {
  const state = new PartitionProducers();
  let offset = log.logStartOffset;
  const end = log.logEndOffset;
  while (offset < end) {
    const bytes = log.read(offset, REBUILD_READ_BYTES);
    let next = offset;
    for (const {header, position} of iterateBatches(bytes)) {
      if (header.isControl) {
        const type = markerTypeAt(bytes, position);
        if (type) state.txns.onMarker(header.producerId, type, header.baseOffset);
      } else {
        state.record(header, header.baseOffset);
        state.txns.onData(header, header.baseOffset);
      }
      next = header.lastOffset + 1;
    }
    if (next <= offset) break; // nothing readable at this offset: stop rather than spin
    offset = next;
  }
  return state;
}
