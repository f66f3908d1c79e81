import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {SCENARIO_KINDS} from '../../src/cli/scenario-kinds.js';
import {EventStream} from '../../src/core/event-stream.js';
import type {KindEvent, ScenarioEvent} from '../../src/scenarios/events.js';
import {parseKindFlags} from '../../src/scenarios/kinds.js';
import {loadScenario} from '../../src/scenarios/scenario-file.js';
import {ScenarioModel} from '../../src/ui/scenario/scenario-model.js';
import {EvolutionPanel} from '../../src/ui/scenario/schema-evolution/EvolutionPanel.js';
import type {EvolutionViewState} from '../../src/ui/scenario/schema-evolution/state.js';
import {startTestBroker} from '../helpers/broker.js';
import {startTestRegistry} from '../helpers/registry.js';

const KINDS = SCENARIO_KINDS.map((e) => e.kind);

describe('the schema-evolution scenario view, fed by a real run', () => {
  it('shows the versions as the registry answered, the counts the report has, and each refusal with its field, version and kind in 80 columns', async () => {
    const tb = await startTestBroker();
    const registry = await startTestRegistry(tb);
    try {
      const {kind, spec} = loadScenario('schema-evolution', KINDS);
      const entry = SCENARIO_KINDS.find((e) => e.kind === kind)!;
      const events = new EventStream<ScenarioEvent<KindEvent>>();
      const model = new ScenarioModel(events, entry.presenter, 10);
      const scenario = kind.applyFlags(spec, parseKindFlags(KINDS, kind, 'schema-evolution', {count: '90'}));
      const report = await kind.run(scenario, {conn: tb.conn, events, registry: async () => ({url: registry.url, source: 'flag'})});
      model.flush();
      model.close();
      const state = model.state.current().kind as EvolutionViewState;
      expect(report.ok).toBe(true);

      expect(state.versions.map((v) => [v.version, v.outcome])).toEqual([
        ['v1', 'accepted'],
        ['v2', 'accepted'],
        ['v3', 'refused'],
        ['v4', 'accepted'],
      ]);
      expect(state.produced).toBe(90);
      expect(state.producers).toEqual({v1: report.counts['written.v1'], v2: report.counts['written.v2'], v4: report.counts['written.v4']});
      for (const v of ['v1', 'v2', 'v4']) {
        expect(state.consumers[v]).toEqual({read: report.counts[`read.${v}`], unreadable: report.counts[`unreadable.${v}`], defaulted: report.counts[`defaulted.${v}`]});
      }

      const frame = render(<EvolutionPanel state={state} width={80} rows={8} />).lastFrame()!;
      const lines = frame.split('\n');
      expect(lines).toHaveLength(8);
      expect(lines[0]).toMatch(/^subject orders\.evolution\.\w+-value · BACKWARD · sent 90\/90$/);
      expect(lines[1]).toBe(`versions v1 ✓ #1 id ${report.counts['schemaId.v1']}   v2 ✓ #2 id ${report.counts['schemaId.v2']}   v3 ✗ refused   v4 ✓ #3 id ${report.counts['schemaId.v4']}`);
      expect(lines[2]).toBe('producers wrote v1 45 · v2 30 · v4 15');
      expect(lines[3]).toBe('consumers read  v1 90 · v2 90 (45 defaulted) · v4 45 (45 unreadable)');
      expect(lines[4]).toBe('✗ v3 refused under BACKWARD vs version 2 · priority');
      expect(lines[5]).toMatch(/^ {2}READER_FIELD_MISSING_DEFAULT_VALUE: field priority is new to the reader and…$/);
      expect(lines[6]).toBe('✗ v4 refused under BACKWARD_TRANSITIVE vs version 1 · currency');
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    } finally {
      await registry.close();
      await tb.stop();
    }
  });
});
