import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {SCENARIO_KINDS, type KindEntry} from '../../src/cli/scenario-kinds.js';
import {EventStream, LiveValue} from '../../src/core/event-stream.js';
import type {ConnectionStatus, TopicSnapshot} from '../../src/kafka/topic-poller.js';
import type {KindEvent, ScenarioEvent} from '../../src/scenarios/events.js';
import {parseKindFlags} from '../../src/scenarios/kinds.js';
import {loadScenario} from '../../src/scenarios/scenario-file.js';
import type {PipelineState} from '../../src/ui/scenario/error-handling/presenter.js';
import {StagesPanel} from '../../src/ui/scenario/error-handling/StagesPanel.js';
import type {ReplayViewState} from '../../src/ui/scenario/replay/ReplayPanel.js';
import {SagaBoardPanel} from '../../src/ui/scenario/saga/SagaBoardPanel.js';
import type {SagaBoardState} from '../../src/ui/scenario/saga/presenter.js';
import {ScenarioModel} from '../../src/ui/scenario/scenario-model.js';
import {ScenarioView} from '../../src/ui/scenario/ScenarioView.js';
import {startTestBroker} from '../helpers/broker.js';

const KINDS = SCENARIO_KINDS.map((e) => e.kind);
const entryOf = (name: string) => {
  const {kind, spec} = loadScenario(name, KINDS);
  return {entry: SCENARIO_KINDS.find((e) => e.kind === kind)!, spec};
};

/** Runs a real scenario on a fresh broker (the saga and dlt scenarios share orders.v1) and feeds its events to its kind's view model. */
async function runWithModel<M extends object>(name: string, flags: Record<string, string>) {
  const tb = await startTestBroker();
  try {
    const {entry, spec} = entryOf(name);
    const events = new EventStream<ScenarioEvent<KindEvent>>();
    const model = new ScenarioModel(events, entry.presenter, 10);
    const report = await entry.kind.run(entry.kind.applyFlags(spec, parseKindFlags(KINDS, entry.kind, name, flags)), {conn: tb.conn, events});
    model.flush();
    model.close();
    const state = model.state.current();
    return {report, run: state.run, kind: state.kind as M, entry};
  } finally {
    await tb.stop();
  }
}

const noTopics = new LiveValue<readonly TopicSnapshot[]>([]);
const connected = new LiveValue<ConnectionStatus>({state: 'connected', brokers: ['127.0.0.1:9092']} as ConnectionStatus);

function viewOf(entry: KindEntry, events: EventStream<ScenarioEvent<KindEvent>>, size = {columns: 120, rows: 32}) {
  const model = new ScenarioModel(events, entry.presenter, 10);
  const view = render(<ScenarioView presenter={entry.presenter} model={model.state} topics={noTopics} connection={connected} onQuit={() => model.stopping()} size={size} />);
  return {model, view};
}

describe('scenario views, fed by real runs', () => {
  it('the saga board counts what reached each step, matching the report, and draws each saga’s timeline with compensation', async () => {
    const {report, kind} = await runWithModel<SagaBoardState>('saga', {fail: 'inventory', count: '12', rate: '0'});
    expect(report.ok).toBe(true);
    const {lastFrame} = render(<SagaBoardPanel reached={kind.reached} counts={kind.counts} recent={kind.recent} width={120} rows={8} />);
    const frame = lastFrame()!;
    expect(frame).toMatch(/^reached {3}placed 12 {2}paid \d+ {2}reserved 0 {2}✓ completed 0\n {10}✗ cancelled 12 {2}↩ refunded \d+ {2}↩ released 0\n/);
    // Cumulative: every order was placed; what was cancelled and refunded is what the report counted.
    expect(kind.reached).toMatchObject({placed: report.counts.orders, completed: report.counts.completed, cancelled: report.counts.cancelled, refunded: report.counts.refunds, released: report.counts.releases});
    expect(frame).toContain('under way running 0  compensating 0');
    expect(frame).toMatch(/placed ✓ → paid ✓ → inventory ✗ → refunded ↩ → cancelled|placed ✓ → paid ✓ → inventory ✗ → cancelled → refunded ↩/);
  });

  it('the pipeline shows what each stage handled, retried and dead-lettered', async () => {
    const {report, kind} = await runWithModel<PipelineState>('dlt', {count: '40', rate: '0', 'poison-rate': '0.2', seed: '9'});
    expect(report.ok).toBe(true);
    const {lastFrame} = render(<StagesPanel stages={kind.stages} now={Date.now()} />);
    const lines = lastFrame()!.split('\n');
    expect(lines[0]).toMatch(/STAGE\s+HANDLED\s+RETRIED\s+HELD\s+NEXT DUE\s+DEAD/);
    const source = lines.find((l) => l.startsWith('orders.v1 '))!.trim().split(/\s+/);
    expect(Number(source[1])).toBe(report.counts.handled);
    expect(Number(source.at(-1))).toBe(report.counts.deadLettered);
    const dlt = lines.find((l) => l.startsWith('orders.v1.dlt'))!.trim().split(/\s+/);
    expect(Number(dlt[1])).toBe(report.counts.deadLettered);
    expect(kind.done).toBe(40);
  });

  it('the replay panel shows each replay: records replayed of total, rate, ETA and lag, and the read model at each step', async () => {
    const {report, kind, entry} = await runWithModel<ReplayViewState>('replay', {count: '300'});
    expect(report.ok).toBe(true);
    const {lastFrame} = render(<entry.presenter.Panel state={kind} now={Date.now()} width={120} rows={8} />);
    const frame = lastFrame()!;
    expect(frame).toMatch(/build ✓ {3}fix ✓ {3}replay ✓ {3}replay-again ✓ {3}check ▸/);
    expect(frame).toMatch(new RegExp(`replay +█+ +100%  ${report.counts.replayed}/${report.counts.replayed} replayed · [\\d.k]+/s · done · lag 0`));
    expect(frame).toMatch(/replay again +█+ +100%  \d+\/\d+ replayed/);
    expect(frame).toMatch(new RegExp(`before: ${report.counts['wrongCustomers.before']} wrong · after replay: 0 wrong`));
  });
});

describe('the scenario view frame', () => {
  it('shows the kind’s layout from the first frame, and its clock never goes back when the run starts', async () => {
    const saga = SCENARIO_KINDS.find((e) => e.kind.kind === 'saga')!;
    const events = new EventStream<ScenarioEvent<KindEvent>>();
    const {model, view} = viewOf(saga, events);
    try {
      const first = view.lastFrame()!;
      expect(first).toMatch(/─ sagas /);
      expect(first).toMatch(/reached\s+placed 0/);
      expect(first).toContain('settled 0/0');
      const startedAt = model.state.current().run.startedAt;
      events.emit({type: 'scenario-started', at: startedAt + 60_000, scenario: 'saga', runId: 'r1', resumed: false, expected: 5, topics: ['orders.v1']});
      model.flush();
      expect(model.state.current().run.startedAt).toBe(startedAt);
      await new Promise((r) => setTimeout(r, 50));
      expect(view.lastFrame()).toMatch(/kpat scenario saga · run r1 · \d+\.\ds/);
      expect(view.lastFrame()).toContain('settled 0/5');
    } finally {
      view.unmount();
      model.close();
    }
  });

  it('says the run is interrupted once q is pressed, then INTERRUPTED when its report comes', async () => {
    const dlt = SCENARIO_KINDS.find((e) => e.kind.kind === 'error-handling')!;
    const events = new EventStream<ScenarioEvent<KindEvent>>();
    const {model, view} = viewOf(dlt, events);
    try {
      view.stdin.write('q');
      await new Promise((r) => setTimeout(r, 50));
      expect(view.lastFrame()).toMatch(/run … · \d+\.\ds · stopping ─/);
      expect(view.lastFrame()).toMatch(/interrupted: stopping the participants/);
      expect(view.lastFrame()).not.toMatch(/q stop the scenario/);
    } finally {
      view.unmount();
      model.close();
    }
  });
});
