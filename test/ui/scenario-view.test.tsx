import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {EventStream} from '../../src/core/event-stream.js';
import {loadScenario} from '../../src/scenarios/scenario-file.js';
import type {ScenarioEvent} from '../../src/scenarios/events.js';
import {SagaBoardPanel} from '../../src/ui/scenario/SagaBoardPanel.js';
import {ScenarioModel} from '../../src/ui/scenario/scenario-model.js';
import {StagesPanel} from '../../src/ui/scenario/StagesPanel.js';
import {startTestBroker} from '../helpers/broker.js';

/** Runs a real scenario on a fresh broker (the saga and dlt scenarios share orders.v1) and feeds its events to the view model. */
async function runWithModel(name: string, overrides: Record<string, unknown>) {
  const tb = await startTestBroker();
  try {
    const {kind, spec} = loadScenario(name);
    const events = new EventStream<ScenarioEvent>();
    const model = new ScenarioModel(events, 10);
    const report = await kind.run(kind.applyOverrides(spec, overrides), {conn: tb.conn, events});
    model.flush();
    model.close();
    return {report, state: model.state.current()};
  } finally {
    await tb.stop();
  }
}

describe('scenario views, fed by real runs', () => {
  it('the saga board counts outcomes and draws each saga’s timeline with compensation', async () => {
    const {report, state} = await runWithModel('saga', {fail: 'inventory', count: 12, rate: 0});
    expect(report.ok).toBe(true);
    const board = state.board!;
    const {lastFrame} = render(<SagaBoardPanel counts={board.counts} recent={board.recent} width={120} rows={5} />);
    const frame = lastFrame()!;
    expect(frame).toContain(`✗ cancelled ${report.counts.cancelled}`);
    expect(frame).toContain('✓ completed 0');
    expect(frame).toMatch(/placed ✓ → paid ✓ → inventory ✗ → refunded ↩ → cancelled|placed ✓ → paid ✓ → inventory ✗ → cancelled → refunded ↩/);
  });

  it('the pipeline shows what each stage handled, retried and dead-lettered', async () => {
    const {report, state} = await runWithModel('dlt', {count: 40, rate: 0, poisonRate: 0.2, seed: 9});
    expect(report.ok).toBe(true);
    const {lastFrame} = render(<StagesPanel stages={state.stages} now={Date.now()} />);
    const lines = lastFrame()!.split('\n');
    expect(lines[0]).toMatch(/STAGE\s+HANDLED\s+RETRIED\s+HELD\s+NEXT DUE\s+DEAD/);
    const source = lines.find((l) => l.startsWith('orders.v1 '))!.trim().split(/\s+/);
    expect(Number(source[1])).toBe(report.counts.handled);
    expect(Number(source.at(-1))).toBe(report.counts.deadLettered);
    const dlt = lines.find((l) => l.startsWith('orders.v1.dlt'))!.trim().split(/\s+/);
    expect(Number(dlt[1])).toBe(report.counts.deadLettered);
    expect(state.done).toBe(40);
  });
});
