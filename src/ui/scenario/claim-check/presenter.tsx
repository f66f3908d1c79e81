import type {ClaimCheckKindEvent} from '../../../scenarios/claim-check/events.js';
import {PASSES} from '../../../scenarios/claim-check/schema.js';
import {foldWorkload, type ScenarioPresenter} from '../presenter.js';
import {ClaimsPanel, type ClaimsViewState} from './ClaimsPanel.js';
import {claimCheckLine} from './lines.js';

/** The claim-check scenario: the readers side by side, the store, the faults, gc and the byte audit. */
export const claimCheckPresenter: ScenarioPresenter<ClaimCheckKindEvent, ClaimsViewState> = {
  title: 'claim check',
  initial: () => ({expected: 0, produced: 0, store: {uploaded: 0, skipped: 0, inline: 0, bytesUploaded: 0}, passes: {}, faults: {orphan: 0, deleted: 0, corrupted: 0}, gc: null, audit: null}),
  fold(s, e) {
    if (foldWorkload(s, e)) return s;
    switch (e.type) {
      case 'claims-stats':
        s.store = e.store;
        s.passes = e.passes;
        break;
      case 'claims-fault':
        s.faults = {...s.faults, [e.fault]: s.faults[e.fault] + 1};
        break;
      case 'claims-gc':
        s.gc = `gc deleted ${e.deleted}, kept ${e.kept}`;
        break;
      case 'claims-audit':
        s.audit = {recordBytes: e.recordBytes, largestRecord: e.largestRecord, limit: e.limit, storeBytes: e.storeBytes};
        break;
    }
    return s;
  },
  Panel: ({state, width, rows}) => <ClaimsPanel state={state} width={width} rows={rows} />,
  panelRows: (_s, body) => Math.max(6, Math.min(8, body - 8)),
  logLine: claimCheckLine,
  plainLine: (e) => claimCheckLine(e)?.text ?? null,
  facts: (s) => [`sent ${s.produced}/${s.expected}`, `store ${s.store.uploaded} up/${s.store.skipped} skipped`, `done ${PASSES.map((p) => s.passes[p]?.done ?? 0).join('/')}`],
  progress(s) {
    if (Object.keys(s.passes).length === 0) return s.produced > 0 && s.produced < s.expected ? {line: `${s.produced}/${s.expected} documents sent`} : null;
    const line = PASSES.filter((p) => s.passes[p]).map((p) => `${p}: ${s.passes[p]!.done}/${s.expected} (${s.passes[p]!.deadLettered} dead-lettered)`).join(' · ');
    return {line, waiting: 'waiting for the readers'};
  },
};
