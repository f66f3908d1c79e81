import type {WindowEvent} from '../../patterns/window/events.js';
import type {WindowSummary} from '../../patterns/window/window-aggregation.js';
import {plural} from '../../core/plural.js';
import {formatDuration} from '../table.js';

/** Plain and NDJSON renderings of `kpat window`: results and late records on stdout, the rest as notes. */

const iso = (t: number) => new Date(t).toISOString();
/** Durations below a second in ms: lateness is often that small. */
export const shortDuration = (ms: number) => (ms < 1000 ? `${ms} ms` : formatDuration(ms));
const valueText = (v: unknown) => (typeof v === 'number' ? String(Number.isInteger(v) ? v : Number(v.toFixed(6))) : JSON.stringify(v));

/** The NDJSON line of a result, removal, late or skipped record; null for events that are progress, not results. */
export function windowJson(e: WindowEvent): object | null {
  switch (e.type) {
    case 'window-result':
      return {type: e.type, key: e.key, start: e.start, end: e.end, value: e.value, final: e.final, ...(e.closedBy === 'wall-clock' ? {closedBy: e.closedBy} : {})};
    case 'window-removed':
      return {type: e.type, key: e.key, start: e.start, end: e.end};
    case 'late-record':
      return {type: e.type, key: e.key, timestamp: e.timestamp, partition: e.partition, offset: e.offset, streamTime: e.streamTime, lateness: e.lateness};
    case 'record-skipped':
      return {type: e.type, partition: e.partition, offset: e.offset, reason: e.reason};
    default:
      return null;
  }
}

/** The plain line of a result-like event; null for progress (see windowNote). */
export function windowLine(e: WindowEvent): string | null {
  switch (e.type) {
    case 'window-result': {
      const how = e.final ? (e.closedBy === 'wall-clock' ? 'final, closed by wall clock' : 'final') : 'update';
      return `${e.key}  ${iso(e.start)} – ${iso(e.end)}  ${valueText(e.value)}  (${how})`;
    }
    case 'window-removed':
      return `${e.key}  ${iso(e.start)} – ${iso(e.end)}  removed (merged into a larger session)`;
    case 'late-record':
      return `late  ${e.key}  ${iso(e.timestamp)}  partition ${e.partition} offset ${e.offset}  ${shortDuration(e.lateness)} behind stream time ${iso(e.streamTime)}: dropped`;
    default:
      return null;
  }
}

/** Progress for stderr: start, restore, skipped records. Commits are too frequent to note. */
export function windowNote(e: WindowEvent): string | null {
  switch (e.type) {
    case 'window-started': {
      const from = e.resumedFrom ? `resuming from committed offsets (${Object.entries(e.resumedFrom).map(([p, o]) => `${p}@${o}`).join(', ')})` : 'starting fresh';
      return `${e.topic} (${plural(e.partitions, 'partition')}): ${e.aggregation} over ${e.windows}, emit ${e.emit}; ${e.changelog ? `store changelog ${e.changelog}` : 'store in memory only (no --app-id)'}; ${from}`;
    }
    case 'restore-started':
      return `restoring the store from ${e.changelog} (${plural(e.records, 'record')})`;
    case 'restore-progress':
      return `restoring: ${e.restored} of ${e.records}`;
    case 'restore-done':
      return `restored ${plural(e.windows, 'window')} from ${plural(e.restored, 'record')} in ${shortDuration(e.ms)}`;
    case 'record-skipped':
      return `skipped partition ${e.partition} offset ${e.offset}: ${e.reason}`;
    default:
      return null;
  }
}

export function summaryJson(s: WindowSummary): object {
  return {type: 'window-summary', records: s.records, results: s.results, late: s.late, skipped: s.skipped, openWindows: s.openWindows, streamTimes: s.streamTimes};
}

export function summaryLine(s: WindowSummary): string {
  return `${plural(s.records, 'record')} · ${plural(s.results, 'result')} · ${s.late} late · ${s.skipped} skipped · ${plural(s.openWindows, 'window')} still open`;
}
