import type {WindowKindEvent} from '../../../scenarios/window/events.js';
import {foldWorkload, type ScenarioPresenter} from '../presenter.js';
import {windowScenarioLine} from './lines.js';
import {emptyAggregation, type AggregationView, type WindowViewState} from './state.js';
import {WindowPanel} from './WindowPanel.js';

const aggregation = (s: WindowViewState, name: string): AggregationView => (s.aggregations[name] ??= emptyAggregation());

/** The window scenario: open windows and how far they are from closing, stream times, results, late records, the crash and the restore. */
export const windowPresenter: ScenarioPresenter<WindowKindEvent, WindowViewState> = {
  title: 'windows',
  initial: () => ({phase: null, detail: '', produced: 0, expected: 0, aggregations: {}}),
  fold(s, e) {
    if (foldWorkload(s, e)) return s;
    switch (e.type) {
      case 'window-phase':
        Object.assign(s, {phase: e.phase, detail: e.detail});
        break;
      case 'window-crash':
        Object.assign(aggregation(s, e.aggregation), {crashed: true, open: [], openCount: 0, restore: null});
        break;
      case 'window-snapshot':
        Object.assign(aggregation(s, e.aggregation), {open: e.open, openCount: e.openCount, streamTimes: e.streamTimes});
        break;
      case 'window-event': {
        const a = aggregation(s, e.aggregation);
        const w = e.event;
        if (w.type === 'window-result') a.results++;
        else if (w.type === 'late-record') a.late++;
        else if (w.type === 'window-committed') a.streamTimes = w.streamTimes;
        else if (w.type === 'restore-started') a.restore = {restored: 0, records: w.records, done: false};
        else if (w.type === 'restore-progress') a.restore = {restored: w.restored, records: w.records, done: false};
        else if (w.type === 'restore-done') a.restore = {restored: w.restored, records: a.restore?.records ?? w.restored, done: true};
        break;
      }
    }
    return s;
  },
  Panel: ({state, width, rows}) => <WindowPanel state={state} width={width} rows={rows} />,
  panelRows: (s, body) => Math.min(Math.max(3, body - 5), 1 + Object.keys(s.aggregations).length + 8),
  logLine(e) {
    const text = windowScenarioLine(e);
    if (!text) return null;
    if (e.type === 'window-crash') return {text, color: 'red'};
    if (e.type === 'window-event' && e.event.type === 'late-record') return {text, color: 'yellow'};
    if (e.type === 'window-event' && e.event.type === 'window-result') return {text};
    return {text, color: 'cyan'};
  },
  plainLine: windowScenarioLine,
  facts(s) {
    const aggs = Object.values(s.aggregations);
    return [`sent ${s.produced}/${s.expected}`, `results ${aggs.reduce((n, a) => n + a.results, 0)}`, `late ${aggs.reduce((n, a) => n + a.late, 0)}`];
  },
  progress(s) {
    if (s.expected > 0 && s.produced < s.expected) return {line: `sent ${s.produced}/${s.expected} readings`};
    const restoring = Object.entries(s.aggregations).find(([, a]) => a.restore && !a.restore.done);
    if (restoring) return {line: `${restoring[0]}: restoring ${restoring[1].restore!.restored}/${restoring[1].restore!.records}`};
    return null;
  },
};
