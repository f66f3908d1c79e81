import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {SCENARIO_KINDS} from '../../src/cli/scenario-kinds.js';
import {EventStream} from '../../src/core/event-stream.js';
import type {KindEvent, ScenarioEvent} from '../../src/scenarios/events.js';
import {parseKindFlags} from '../../src/scenarios/kinds.js';
import {loadScenario} from '../../src/scenarios/scenario-file.js';
import {ScenarioModel} from '../../src/ui/scenario/scenario-model.js';
import type {WindowViewState} from '../../src/ui/scenario/window/state.js';
import {WindowPanel} from '../../src/ui/scenario/window/WindowPanel.js';
import {startTestBroker} from '../helpers/broker.js';

const KINDS = SCENARIO_KINDS.map((e) => e.kind);

describe('the window scenario view, fed by a real run', () => {
  it('counts results and late records per aggregation as the report does, shows the restore, stream times and open windows', async () => {
    const tb = await startTestBroker();
    try {
      const {kind, spec} = loadScenario('window', KINDS);
      const entry = SCENARIO_KINDS.find((e) => e.kind === kind)!;
      const events = new EventStream<ScenarioEvent<KindEvent>>();
      const model = new ScenarioModel(events, entry.presenter, 10);
      const report = await kind.run(kind.applyFlags(spec, parseKindFlags(KINDS, kind, 'window', {count: '600', seed: '3'})), {conn: tb.conn, events});
      model.flush();
      model.close();
      const state = model.state.current().kind as WindowViewState;
      expect(report.ok).toBe(true);

      expect(state.phase).toBe('check');
      expect(state.produced).toBe(600);
      for (const name of ['avg-60s', 'avg-60s-hop']) {
        const a = state.aggregations[name]!;
        expect(a.results).toBe(report.counts[`results.${name}`]);
        expect(a.late).toBe(report.counts[`late.${name}`]);
        expect(a.crashed).toBe(true);
        // Of the changelog's offsets to go through (transaction markers included), what it restored.
        expect(a.restore).toMatchObject({restored: report.counts[`restored.${name}`], done: true});
        expect(a.restore!.records).toBeGreaterThanOrEqual(a.restore!.restored);
        expect(Object.keys(a.streamTimes).sort()).toEqual(['0', '1', '2']);
        expect(a.openCount).toBeGreaterThan(0);
      }

      const frame = render(<WindowPanel state={state} width={80} rows={6} />).lastFrame()!;
      const lines = frame.split('\n');
      expect(lines).toHaveLength(6);
      expect(lines[0]).toMatch(/^aggregate ✓ {3}crash ✓ {3}restore ✓ {3}check ▸ {3}· sent 600\/600/);
      expect(lines[1]).toMatch(new RegExp(`^avg-60s ${report.counts['results.avg-60s']} res · ${report.counts['late.avg-60s']} late · \\d+ open · p0 \\d\\d:\\d\\d:\\d\\d p1 \\d\\d:\\d\\d:\\d\\d p2 \\d\\d:\\d\\d:\\d\\d$`));
      expect(lines[3]).toMatch(/^open sensor-\d\d avg-60s(-hop)? \[\d\d:\d\d:\d\d–\d\d:\d\d:\d\d\) [\d.]+ °C · closes in \d+(\.\d+)? ?m?s$/);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    } finally {
      await tb.stop();
    }
  });
});
