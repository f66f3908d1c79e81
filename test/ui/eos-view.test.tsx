import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {SCENARIO_KINDS} from '../../src/cli/scenario-kinds.js';
import {EventStream, LiveValue} from '../../src/core/event-stream.js';
import type {ConnectionStatus, TopicSnapshot} from '../../src/kafka/topic-poller.js';
import type {KindEvent, ScenarioEvent} from '../../src/scenarios/events.js';
import {parseKindFlags} from '../../src/scenarios/kinds.js';
import {loadScenario} from '../../src/scenarios/scenario-file.js';
import type {EosViewState} from '../../src/ui/scenario/exactly-once/PipelinesPanel.js';
import {ScenarioModel} from '../../src/ui/scenario/scenario-model.js';
import {ScenarioView} from '../../src/ui/scenario/ScenarioView.js';
import {startTestBroker} from '../helpers/broker.js';

const KINDS = SCENARIO_KINDS.map((e) => e.kind);
const entry = SCENARIO_KINDS.find((e) => e.kind.kind === 'exactly-once')!;

/** A real run of the scenario (no zombie, so it is quick), folded by its presenter: what the screen would show. */
async function foldedRun(flags: Record<string, string>) {
  const tb = await startTestBroker();
  try {
    const {spec} = loadScenario('exactly-once', KINDS);
    const events = new EventStream<ScenarioEvent<KindEvent>>();
    const model = new ScenarioModel(events, entry.presenter, 10);
    const all: Array<ScenarioEvent<KindEvent>> = [];
    events.subscribe((e) => all.push(e));
    const report = await entry.kind.run(entry.kind.applyFlags(spec, parseKindFlags(KINDS, entry.kind, 'exactly-once', flags)), {conn: tb.conn, events});
    model.flush();
    model.close();
    return {report, kind: model.state.current().kind as EosViewState, events: all};
  } finally {
    await tb.stop();
  }
}

const cells = (frame: string, label: string) => frame.split('\n').find((l) => l.startsWith(label))!.slice(label.length).trim().split(/\s+/);

describe('the exactly-once view', () => {
  it('shows the three pipelines side by side with the report’s numbers, and the transactional output’s batch headers', async () => {
    const {report, kind, events} = await foldedRun({count: '24', zombie: '0', crash: '1', 'drop-responses': '0', seed: '4'});
    expect(report.ok).toBe(true);
    for (const [width, rows] of [
      [80, 13],
      [120, 16],
    ] as const) {
      const frame = render(<entry.presenter.Panel state={kind} now={Date.now()} width={width} rows={rows} />).lastFrame()!;
      expect(frame.split('\n')[0]).toMatch(/^\s+at-least-once\s+idempotent\s+transactional\s*$/);
      expect(frame.split('\n').every((l) => l.length <= width)).toBe(true);
      const modes = ['at-least-once', 'idempotent', 'transactional'];
      expect(cells(frame, 'dup/missing')).toEqual(modes.map((m) => `${report.counts[`${m}.duplicates`]}/0`));
      expect(cells(frame, 'crash/zombie')).toEqual(['1/0', '1/0', '1/0']);
      expect(frame).toContain('batch headers of ledger.transactional.v1 partition 0');
      // A data batch (producer id, epoch, sequences, transactional) and its COMMIT marker.
      expect(frame).toMatch(/\d+ records? {2}producer \d+ {2}epoch \d+ {2}sequence \d+/);
      expect(frame).toMatch(/COMMIT marker {2}producer \d+ {2}epoch \d+/);
    }
    // The crash shows in the events panel and plain output, once per pipeline.
    const crashLines = events.map((e) => entry.presenter.logLine(e)?.text ?? '').filter((t) => /crashed after producing/.test(t));
    expect(crashLines.map((t) => t.split(':')[0])).toEqual(['at-least-once', 'idempotent', 'transactional']);
  });

  it('fits the whole live view at 80x24', async () => {
    const events = new EventStream<ScenarioEvent<KindEvent>>();
    const model = new ScenarioModel(events, entry.presenter, 10);
    const view = render(
      <ScenarioView
        presenter={entry.presenter}
        model={model.state}
        topics={new LiveValue<readonly TopicSnapshot[]>([])}
        connection={new LiveValue<ConnectionStatus>({state: 'connected', brokers: ['127.0.0.1:9092']} as ConnectionStatus)}
        onQuit={() => model.stopping()}
        size={{columns: 80, rows: 24}}
      />,
    );
    try {
      const frame = view.lastFrame()!;
      expect(frame).toMatch(/─ pipelines /);
      expect(frame).toMatch(/at-least-once\s+idempotent\s+transactional/);
      expect(frame.split('\n').length).toBeLessThanOrEqual(24);
    } finally {
      view.unmount();
      model.close();
    }
  });
});
