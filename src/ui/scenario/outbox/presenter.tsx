import type {OutboxKindEvent} from '../../../scenarios/outbox/events.js';
import {OUTBOX_VARIANTS} from '../../../scenarios/outbox/schema.js';
import type {ScenarioPresenter} from '../presenter.js';
import {outboxLine} from './lines.js';
import {VariantsPanel, type OutboxViewState} from './VariantsPanel.js';

/** The outbox scenario: the dual write and the outbox side by side, the faults they meet, the audit. */
export const outboxPresenter: ScenarioPresenter<OutboxKindEvent, OutboxViewState> = {
  title: 'dual write vs outbox',
  initial: () => ({expected: 0, variants: {}, audits: {}}),
  fold(s, e) {
    switch (e.type) {
      case 'scenario-started':
        s.expected = e.expected;
        break;
      case 'outbox-variants':
        s.variants = e.variants;
        break;
      case 'outbox-audit':
        s.audits = {...s.audits, [e.variant]: e.audit};
        break;
    }
    return s;
  },
  Panel: ({state, width}) => <VariantsPanel state={state} width={width} />,
  // The table: a heading and nine rows.
  panelRows: () => 10,
  logLine: outboxLine,
  plainLine: (e) => outboxLine(e)?.text ?? null,
  facts: (s) => [...OUTBOX_VARIANTS.map((v) => `${v} ${s.variants[v]?.placed ?? 0}/${s.expected}`), `pending ${s.variants.outbox?.pending ?? 0}`],
  progress(s) {
    const ob = s.variants.outbox;
    if (!ob) return null;
    const line = OUTBOX_VARIANTS.map((v) => {
      const st = s.variants[v]!;
      return `${v}: placed ${st.placed}, published ${st.published}${st.pending === null ? '' : `, pending ${st.pending}`}`;
    }).join(' · ');
    return {line, waiting: ob.brokerDown ? 'the broker is unreachable: the outbox holds the events' : 'waiting for the relays to drain the outbox'};
  },
};
