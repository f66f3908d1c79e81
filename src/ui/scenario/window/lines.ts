import {plural} from '../../../core/plural.js';
import type {ScenarioEvent} from '../../../scenarios/events.js';
import type {WindowKindEvent} from '../../../scenarios/window/events.js';
import {shortDuration, windowNote} from '../../window/lines.js';

/** "12:01:40": event times are what matters in a window, the date is not. */
export const clock = (t: number) => new Date(t).toISOString().slice(11, 19);
const celsius = (v: unknown) => (typeof v === 'number' ? `${v.toFixed(2)} °C` : String(v));

/** The plain line for the window scenario's own events (null for those it does not print). */
export function windowScenarioLine(e: ScenarioEvent<WindowKindEvent>): string | null {
  switch (e.type) {
    case 'window-phase':
      return `${e.phase}: ${e.detail}`;
    case 'window-crash':
      return `${e.aggregation}: crashed with ${plural(e.committedRecords, 'reading')} committed, ${e.lostRecords} read since and lost`;
    case 'window-event': {
      const w = e.event;
      if (w.type === 'window-result') return `${e.aggregation}: ${w.key} [${clock(w.start)}–${clock(w.end)}) avg ${celsius(w.value)}`;
      if (w.type === 'late-record') return `${e.aggregation}: late ${w.key} at ${clock(w.timestamp)} (partition ${w.partition} offset ${w.offset}), ${shortDuration(w.lateness)} behind stream time: dropped`;
      if (w.type === 'record-skipped' || w.type === 'restore-progress') return null;
      const note = windowNote(w);
      return note ? `${e.aggregation}: ${note}` : null;
    }
    default:
      return null;
  }
}
