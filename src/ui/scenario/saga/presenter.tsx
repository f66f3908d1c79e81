import type {SagaState, SagaView} from '../../../patterns/saga/saga-board.js';
import type {ScenarioEvent} from '../../../scenarios/events.js';
import type {SagaKindEvent} from '../../../scenarios/saga/events.js';
import {SAGA_MILESTONES, type SagaMilestone} from '../../../scenarios/saga/reached.js';
import type {LogLine, ScenarioPresenter} from '../presenter.js';
import {inFlight, SagaBoardPanel} from './SagaBoardPanel.js';

export interface SagaBoardState {
  expected: number;
  reached: Record<SagaMilestone, number>;
  counts: Record<SagaState, number>;
  recent: SagaView[];
}

const zeroReached = () => Object.fromEntries(SAGA_MILESTONES.map((m) => [m, 0])) as Record<SagaMilestone, number>;
const settled = (s: SagaBoardState) => s.reached.completed + s.reached.cancelled;

function logLine(e: ScenarioEvent<SagaKindEvent>): LogLine | null {
  if (e.type === 'service-crashed') return {text: `${e.service} instance ${e.instance} crashed — it restarts; its uncommitted record goes to another member`, color: 'magenta'};
  if (e.type !== 'saga-step') return null;
  if (e.event === 'OrderCompleted') return {text: `${e.orderId} completed`, color: 'green'};
  if (e.event === 'OrderCancelled') return {text: `${e.orderId} cancelled${e.detail ? ` (${e.detail})` : ''}`, color: 'red'};
  if (e.event === 'PaymentRefunded' || e.event === 'InventoryReleased') return {text: `${e.orderId} ${e.event === 'PaymentRefunded' ? 'refunded' : 'stock released'}`, color: 'yellow'};
  return null;
}

/** The choreography saga: the board of sagas (reached per step, under way, latest timelines). */
export const sagaPresenter: ScenarioPresenter<SagaKindEvent, SagaBoardState> = {
  title: 'sagas',
  initial: () => ({expected: 0, reached: zeroReached(), counts: {placed: 0, paid: 0, reserved: 0, completed: 0, compensating: 0, cancelled: 0}, recent: []}),
  fold(s, e) {
    if (e.type === 'scenario-started') s.expected = e.expected;
    if (e.type === 'saga-board') Object.assign(s, {reached: e.reached, counts: e.counts, recent: e.recent});
    return s;
  },
  Panel: ({state, width, rows}) => <SagaBoardPanel reached={state.reached} counts={state.counts} recent={state.recent} width={width} rows={rows} />,
  panelRows: (_s, body) => Math.min(13, Math.max(5, Math.floor(body * 0.4))),
  logLine,
  plainLine: (e) => (e.type === 'service-crashed' ? `${e.service} instance ${e.instance} crashed (it will restart)` : null),
  facts: (s, run) => [`sent ${run.produced}/${run.expected}`, `settled ${settled(s)}/${s.expected}`],
  progress(s) {
    if (s.reached.placed === 0) return null;
    const now = inFlight(s.counts);
    const reached = SAGA_MILESTONES.map((m) => `${m} ${s.reached[m]}`).join(' · ');
    return {line: `reached: ${reached} — under way: ${now.running} running, ${now.compensating} compensating`};
  },
};
