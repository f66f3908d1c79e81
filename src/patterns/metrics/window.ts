/** Metrics of windowed aggregation, from its WindowEvents (bound to the input topic and the application's group). */
import type {WindowEvent} from '../window/events.js';
import {rule} from './counters.js';

const TG = ['topic', 'group'] as const;

export const WINDOW_METRICS = [
  rule<WindowEvent, 'window-result'>('window-result', {
    name: 'kpat_pattern_windows_emitted_total',
    help: 'Window results published: final when the window closed, update otherwise.',
    labelNames: [...TG, 'kind'],
    labels: (e) => ({kind: e.final ? 'final' : 'update'}),
  }),
  rule<WindowEvent, 'late-record'>('late-record', {
    name: 'kpat_pattern_window_late_records_total',
    help: 'Records that arrived after every window they belong to had closed (dropped).',
    labelNames: TG,
    labels: () => ({}),
  }),
  rule<WindowEvent, 'record-skipped'>('record-skipped', {
    name: 'kpat_pattern_window_records_skipped_total',
    help: 'Records the aggregation could not use (no key, no timestamp, not a number) or another run\'s.',
    labelNames: TG,
    labels: () => ({}),
  }),
];
