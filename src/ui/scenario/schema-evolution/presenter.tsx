import type {EvolutionKindEvent} from '../../../scenarios/schema-evolution/events.js';
import {foldWorkload, type ScenarioPresenter} from '../presenter.js';
import {EvolutionPanel} from './EvolutionPanel.js';
import {consumerText, evolutionLine} from './lines.js';
import {initialEvolutionState, type EvolutionViewState} from './state.js';

/** The schema-evolution scenario: versions registered or refused (with why), producers and consumers per version. */
export const evolutionPresenter: ScenarioPresenter<EvolutionKindEvent, EvolutionViewState> = {
  title: 'schema evolution',
  initial: initialEvolutionState,
  fold(s, e) {
    if (foldWorkload(s, e)) return s;
    switch (e.type) {
      case 'evolution-step':
        s.versions = [...s.versions.filter((v) => v.version !== e.version), {version: e.version, outcome: 'trying'}];
        break;
      case 'evolution-compatibility':
        Object.assign(s, {subject: e.subject, level: e.level});
        break;
      case 'evolution-registration':
        s.subject = e.subject;
        s.versions = s.versions.map((v) => (v.version === e.version ? {version: v.version, outcome: e.outcome, id: e.id, registryVersion: e.registryVersion} : v));
        if (e.outcome === 'refused') s.refusals = [...s.refusals, {version: e.version, level: e.level, expected: e.expected === 'refused', violations: e.violations}];
        break;
      case 'evolution-counts':
        Object.assign(s, {producers: e.producers, consumers: e.consumers});
        break;
    }
    return s;
  },
  Panel: ({state, width, rows}) => <EvolutionPanel state={state} width={width} rows={rows} />,
  // Four lines of versions and counts, then two lines per refusal: what broke, and why.
  panelRows: (s, body) => Math.min(Math.max(5, body - 8), 4 + Math.max(2, 2 * s.refusals.reduce((n, r) => n + Math.max(1, r.violations.length), 0))),
  logLine(e) {
    const text = evolutionLine(e);
    if (!text) return null;
    if (e.type === 'evolution-registration') return {text, color: e.outcome !== e.expected ? 'magenta' : e.outcome === 'accepted' ? 'green' : 'red'};
    if (e.type === 'evolution-unreadable') return {text, color: 'yellow'};
    return {text, color: 'cyan'};
  },
  plainLine: evolutionLine,
  facts: (s) => [`sent ${s.produced}/${s.expected}`, `registered ${s.versions.filter((v) => v.outcome === 'accepted').length}`, `refused ${s.refusals.length}`],
  progress(s) {
    const consumers = Object.entries(s.consumers).map(([v, c]) => consumerText(v, c));
    if (consumers.length === 0) return null;
    return {line: `sent ${s.produced}/${s.expected} · consumers read ${consumers.join(' · ')}`, waiting: 'waiting for every consumer version to read every record'};
  },
};
