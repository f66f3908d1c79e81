import type {ScenarioEvent} from '../../../scenarios/events.js';
import type {EosKindEvent} from '../../../scenarios/exactly-once/events.js';
import type {LogLine} from '../presenter.js';

const FAULT_COLOR = {'drop-response': 'yellow', crash: 'magenta', zombie: 'magenta', fenced: 'cyan', failure: 'red', aborted: 'yellow'} as const;

/** One line for a fault met, an audit or an ABORT marker; null for the rest. */
export function eosLine(e: ScenarioEvent<EosKindEvent>): LogLine | null {
  if (e.type === 'eos-fault') return {text: `${e.mode}: ${e.detail}`, color: FAULT_COLOR[e.fault]};
  if (e.type === 'eos-audit') {
    const a = e.audit;
    const text = `${e.mode}: ${a.outputs} ledger entries read_committed, ${a.duplicates} duplicates, ${a.missing} missing, ${a.abortedTransactions} aborted transactions`;
    return {text, color: a.missing > 0 ? 'red' : a.duplicates > 0 ? 'yellow' : 'green'};
  }
  if (e.type === 'eos-batch' && e.header.endTxnMarker === 'ABORT') return {text: `ABORT marker at ${e.header.partition}/${e.header.baseOffset} (producer ${e.header.producerId}, epoch ${e.header.producerEpoch})`, color: 'red'};
  return null;
}
