import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {SCENARIO_KINDS} from '../../src/cli/scenario-kinds.js';
import {EventStream} from '../../src/core/event-stream.js';
import type {KindEvent, ScenarioEvent} from '../../src/scenarios/events.js';
import {parseKindFlags} from '../../src/scenarios/kinds.js';
import {loadScenario} from '../../src/scenarios/scenario-file.js';
import type {OutboxViewState} from '../../src/ui/scenario/outbox/VariantsPanel.js';
import {ScenarioModel} from '../../src/ui/scenario/scenario-model.js';
import {startTestBroker} from '../helpers/broker.js';

const KINDS = SCENARIO_KINDS.map((e) => e.kind);
const entry = SCENARIO_KINDS.find((e) => e.kind.kind === 'outbox')!;

const cells = (frame: string, label: string) => frame.split('\n').find((l) => l.startsWith(label))!.slice(label.length).trim().split(/\s{2,}/);

describe('the outbox view', () => {
  it('shows the dual write and the outbox side by side with the report’s numbers, and the faults in the events panel', async () => {
    const tb = await startTestBroker();
    try {
      const {spec} = loadScenario('outbox', KINDS);
      const events = new EventStream<ScenarioEvent<KindEvent>>();
      const model = new ScenarioModel(events, entry.presenter, 10);
      const all: Array<ScenarioEvent<KindEvent>> = [];
      events.subscribe((e) => all.push(e));
      const flags = {count: '30', seed: '3', 'app-crash': '2', outage: '0', 'relay-crash': '1'};
      const report = await entry.kind.run(entry.kind.applyFlags(spec, parseKindFlags(KINDS, entry.kind, 'outbox', flags)), {conn: tb.conn, events});
      model.flush();
      model.close();
      expect(report.ok).toBe(true);
      const state = model.state.current().kind as OutboxViewState;
      for (const width of [80, 120]) {
        const frame = render(<entry.presenter.Panel state={state} now={Date.now()} width={width} rows={10} />).lastFrame()!;
        expect(frame.split('\n')[0]).toMatch(/^\s+dual-write\s+outbox\s*$/);
        expect(frame.split('\n').every((l) => l.length <= width)).toBe(true);
        expect(cells(frame, 'orders placed')).toEqual(['30', '30']);
        expect(cells(frame, 'orders w/o event')).toEqual([String(report.counts['dual-write.ordersWithoutEvent']), '0']);
        expect(cells(frame, 'copies dropped')).toEqual(['0', String(report.counts['outbox.duplicatesDropped'])]);
        expect(cells(frame, 'outbox pending')).toEqual(['-', '0']);
        expect(cells(frame, 'app crashes')).toEqual(['2', '2']);
      }
      const lines = all.map((e) => entry.presenter.logLine(e)?.text ?? '');
      expect(lines.filter((t) => /^dual-write: the application crashed .* its event is never sent$/.test(t))).toHaveLength(2);
      expect(lines.some((t) => /^outbox: relay-\d crashed after publishing \d+ events/.test(t))).toBe(true);
    } finally {
      await tb.stop();
    }
  }, 120_000);
});
