import {plural} from '../../../core/plural.js';
import type {ScenarioEvent} from '../../../scenarios/events.js';
import type {ReplayKindEvent} from '../../../scenarios/replay/events.js';
import {cents} from '../../../scenarios/replay/payments.js';
import {replayEventLine} from '../../replay.js';

/** The plain line for the replay scenario's own steps (null for events it does not print; progress comes apart). */
export function replayScenarioLine(e: ScenarioEvent<ReplayKindEvent>): string | null {
  switch (e.type) {
    case 'replay-phase':
      return `${e.phase}: ${e.detail}`;
    case 'replay-planned':
      return `plan: replay ${plural(e.records, 'record')} on ${plural(e.partitions.length, 'partition')}, to ${e.target}`;
    case 'replay-waiting':
    case 'replay-executed':
      return replayEventLine(e);
    case 'replay-progress':
      // The last one of a pass always prints; the others are progress, throttled.
      return e.done ? replayEventLine(e) : null;
    case 'read-model':
      return `read model ${e.stage}: ${plural(Object.keys(e.totalsCents).length, 'customer')}, together ${cents(e.sumCents)}${e.stage === 'from-scratch' ? '' : ` · ${e.wrongCustomers} wrong`}`;
    default:
      return null;
  }
}
