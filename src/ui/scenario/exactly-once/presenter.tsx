import type {EosKindEvent} from '../../../scenarios/exactly-once/events.js';
import {EOS_MODES} from '../../../scenarios/exactly-once/schema.js';
import type {ScenarioPresenter} from '../presenter.js';
import {eosLine} from './lines.js';
import {PipelinesPanel, type EosViewState} from './PipelinesPanel.js';

/** Batch headers kept for the panel (it shows the newest that fit). */
const KEPT_BATCHES = 30;

/** The exactly-once scenario: three pipelines side by side, the faults they meet, the transactional output's batch headers. */
export const eosPresenter: ScenarioPresenter<EosKindEvent, EosViewState> = {
  title: 'pipelines',
  initial: () => ({expected: 0, produced: 0, partitions: 0, pipelines: {}, audits: {}, batches: [], watched: ''}),
  fold(s, e) {
    switch (e.type) {
      case 'scenario-started':
        s.expected = e.expected;
        s.watched = `${e.topics.at(-1) ?? ''} partition 0`;
        break;
      case 'workload-progress':
        s.produced = e.produced;
        break;
      case 'eos-pipelines':
        s.partitions = e.partitions;
        s.pipelines = e.pipelines;
        break;
      case 'eos-audit':
        s.audits = {...s.audits, [e.mode]: e.audit};
        break;
      case 'eos-batch':
        s.batches = [...s.batches, e.header].slice(-KEPT_BATCHES);
        break;
    }
    return s;
  },
  Panel: ({state, width, rows}) => <PipelinesPanel state={state} width={width} rows={rows} />,
  // The table (8 lines) and at least the latest batch header; the events panel keeps a few lines.
  panelRows: (_s, body) => Math.max(9, Math.min(16, body - 12)),
  logLine: eosLine,
  plainLine: (e) => eosLine(e)?.text ?? null,
  facts: (s) => [`sent ${s.produced}/${s.expected}`, `out ${EOS_MODES.map((m) => s.pipelines[m]?.outputs ?? 0).join('/')} (at-least-once/idempotent/transactional)`],
  progress(s) {
    if (Object.keys(s.pipelines).length === 0) return s.produced > 0 && s.produced < s.expected ? {line: `${s.produced}/${s.expected} payments sent`} : null;
    const line = EOS_MODES.map((m) => {
      const st = s.pipelines[m];
      return `${m}: in ${st?.processed ?? 0}, out ${st?.outputs ?? 0}, caught up ${st?.caughtUp ?? 0}/${s.partitions}`;
    }).join(' · ');
    return {line, waiting: 'waiting for the pipelines to catch up (a zombie waits out the session timeout)'};
  },
};
