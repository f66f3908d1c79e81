import {plural} from '../core/plural.js';
import type {BatchHeader} from '../kafka/batch-headers.js';

/** One readable line per batch header: offsets, records, the producer's id, epoch and sequence numbers, and the transaction flags or marker. */
export function batchHeaderLine(h: BatchHeader): string {
  const range = h.baseOffset === h.lastOffset ? `offset ${h.baseOffset}` : `offsets ${h.baseOffset}-${h.lastOffset}`;
  const parts = [`partition ${h.partition}`, range.padEnd(15)];
  if (h.isControl) parts.push(`${h.endTxnMarker ?? 'unknown'} marker`);
  else parts.push(plural(h.count, 'record'));
  if (h.producerId < 0) {
    parts.push('no producer id (neither idempotent nor transactional)');
    return parts.join('  ');
  }
  parts.push(`producer ${h.producerId}`, `epoch ${h.producerEpoch}`);
  if (h.isControl) {
    if (h.coordinatorEpoch !== null) parts.push(`coordinator epoch ${h.coordinatorEpoch}`);
    return parts.join('  ');
  }
  parts.push(h.baseSequence === h.lastSequence ? `sequence ${h.baseSequence}` : `sequence ${h.baseSequence}-${h.lastSequence}`);
  if (h.isTransactional) parts.push(h.aborted === true ? 'transactional, aborted' : h.aborted === false ? 'transactional, committed' : 'transactional');
  return parts.join('  ');
}
