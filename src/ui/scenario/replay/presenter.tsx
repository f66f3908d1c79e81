import type {ReplayKindEvent} from '../../../scenarios/replay/events.js';
import {plural} from '../../../core/plural.js';
import {replayProgressLine} from '../../replay.js';
import {foldWorkload, type ScenarioPresenter} from '../presenter.js';
import {replayScenarioLine} from './lines.js';
import {ReplayPanel, type ReplayViewState} from './ReplayPanel.js';

/** The pass a replay-progress belongs to: the phase under way. */
const passOf = (s: ReplayViewState) => (s.phase === 'replay-again' ? 'replay-again' : 'replay');

interface State extends ReplayViewState {
  produced: number;
  expected: number;
}

/** The replay scenario: its steps, each replay's progress (replayed of total, rate, ETA, lag), the read model at each step. */
export const replayPresenter: ScenarioPresenter<ReplayKindEvent, State> = {
  title: 'replay',
  initial: () => ({phase: null, detail: '', planned: null, passes: {}, waiting: null, models: {}, produced: 0, expected: 0}),
  fold(s, e) {
    if (foldWorkload(s, e)) return s;
    switch (e.type) {
      case 'replay-phase':
        Object.assign(s, {phase: e.phase, detail: e.detail, waiting: null});
        break;
      case 'replay-planned':
        s.planned = e.records;
        break;
      case 'replay-waiting':
        s.waiting = `waiting for group ${e.group} to empty (${e.state}): ${plural(e.members.length, 'member')} left`;
        break;
      case 'replay-executed':
        s.waiting = null;
        break;
      case 'replay-progress':
        s.passes = {...s.passes, [passOf(s)]: e};
        break;
      case 'read-model':
        s.models = {...s.models, [e.stage]: {sumCents: e.sumCents, wrongCustomers: e.wrongCustomers, customers: Object.keys(e.totalsCents).length}};
        break;
    }
    return s;
  },
  Panel: ({state, width, rows}) => <ReplayPanel state={state} produced={state.produced} expected={state.expected} width={width} rows={rows} />,
  panelRows: (_s, body) => Math.min(6, Math.max(3, body - 6)),
  logLine(e) {
    if (e.type === 'replay-progress' || e.type === 'replay-waiting') return null;
    const text = replayScenarioLine(e);
    if (!text) return null;
    const color = e.type === 'read-model' ? (e.stage === 'from-scratch' ? undefined : e.wrongCustomers > 0 ? 'red' : 'green') : e.type === 'replay-executed' ? 'yellow' : 'cyan';
    return {text, color};
  },
  plainLine: replayScenarioLine,
  facts(s) {
    const pass = s.passes[passOf(s)];
    return [`sent ${s.produced}/${s.expected}`, pass ? `replayed ${pass.replayed}/${pass.total}` : 'replayed -'];
  },
  progress(s) {
    const pass = s.passes[passOf(s)];
    if (s.phase === 'replay' || s.phase === 'replay-again') return pass && !pass.done ? {line: replayProgressLine(pass)} : null;
    return s.phase === 'build' && s.produced < s.expected ? {line: `build: ${s.produced}/${s.expected} payments sent`} : null;
  },
};
