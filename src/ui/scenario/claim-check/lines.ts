import type {ClaimCheckKindEvent} from '../../../scenarios/claim-check/events.js';
import type {ScenarioEvent} from '../../../scenarios/events.js';
import {formatBytes} from '../../table.js';
import type {LogLine} from '../presenter.js';

const FAULT_COLOR = {orphan: 'magenta', deleted: 'red', corrupted: 'red'} as const;

/** One line for a fault, a dead letter, gc and the audit; null for the rest. */
export function claimCheckLine(e: ScenarioEvent<ClaimCheckKindEvent>): LogLine | null {
  switch (e.type) {
    case 'claims-fault':
      return {text: e.detail, color: FAULT_COLOR[e.fault]};
    case 'dead-lettered':
      return {text: `${e.group}: ${e.record.key ?? `${e.record.partition}/${e.record.offset}`} → ${e.dltTopic} (${e.reason})`, color: 'yellow'};
    case 'claims-gc':
      return {text: e.detail, color: 'cyan'};
    case 'claims-audit':
      return {
        text: `on the broker ${formatBytes(e.recordBytes)} (largest record ${formatBytes(e.largestRecord)}, limit ${formatBytes(e.limit)}) · in the store ${formatBytes(e.storeBytes)} · payloads ${formatBytes(e.payloadBytes)}`,
        color: e.largestRecord > e.limit ? 'red' : 'green',
      };
    default:
      return null;
  }
}
