import {Box, Text, useApp, useInput} from 'ink';
import {useEffect, useState} from 'react';
import type {ConnectionStatus, TopicSnapshot} from '../../kafka/topic-poller.js';
import type {LiveSource} from '../../core/event-stream.js';
import type {KindEvent} from '../../scenarios/events.js';
import {fit} from '../kit/format.js';
import {useLive, useTerminalSize} from '../kit/hooks.js';
import {Panel} from '../kit/Panel.js';
import {KeyHints, StatusBar} from '../kit/StatusBar.js';
import {recordTime} from '../record-format.js';
import type {ScenarioPresenter} from './presenter.js';
import type {ScenarioModelState} from './scenario-model.js';
import {TopicsPanel} from './TopicsPanel.js';

export interface ScenarioViewProps<E extends KindEvent, M extends object> {
  presenter: ScenarioPresenter<E, M>;
  model: LiveSource<ScenarioModelState<M>>;
  topics: LiveSource<readonly TopicSnapshot[]>;
  connection: LiveSource<ConnectionStatus>;
  /** Called when the user asks to stop (q): the scenario stops and reports. */
  onQuit: () => void;
  size?: {columns: number; rows: number};
}

/** "12.3s", or what the run is doing when it is not just running. */
function clock(elapsedMs: number, stopping: boolean, interrupted: boolean | undefined): string {
  const t = `${(Math.max(0, elapsedMs) / 1000).toFixed(1)}s`;
  if (interrupted) return `INTERRUPTED at ${t}`;
  return stopping ? `${t} · stopping` : t;
}

/**
 * A scenario as it runs: its kind's panel (the saga board, the dead-letter/retry
 * pipeline, the replay), its topics with lag and health, the notable events,
 * and the status. The kind's layout shows from the first frame.
 */
export function ScenarioView<E extends KindEvent, M extends object>({presenter, model, topics, connection, onQuit, size}: ScenarioViewProps<E, M>) {
  const terminal = useTerminalSize();
  const {columns, rows} = size ?? terminal;
  const {run, kind} = useLive(model);
  const snapshots = useLive(topics);
  const conn = useLive(connection);
  const [now, setNow] = useState(Date.now());
  const {exit} = useApp();
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    if (run.report) exit();
  }, [run.report, exit]);
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) onQuit();
  });

  const body = Math.max(6, rows - 3);
  const patternRows = presenter.panelRows(kind, body);
  const topicRows = Math.min(snapshots.length + 2, Math.max(3, Math.floor(body * 0.3)));
  const logRows = Math.max(1, body - patternRows - topicRows - 3);
  const log = run.log.slice(-logRows);
  const title = run.scenario ? `kpat scenario ${run.scenario}` : 'kpat scenario';
  const elapsed = Math.max(now, run.startedAt) - run.startedAt;

  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Panel title={presenter.title} right={`${title} · run ${run.runId || '…'} · ${clock(elapsed, run.stopping, run.report?.interrupted)}`} height={patternRows + 1}>
        <presenter.Panel state={kind} now={now} width={columns} rows={patternRows} />
      </Panel>
      <Panel title="topics" right="lag and health of the scenario's consumer groups" height={topicRows + 1}>
        <TopicsPanel snapshots={snapshots} height={topicRows} />
      </Panel>
      <Panel title="events" grow>
        {log.length === 0 ? <Text dimColor>nothing notable yet</Text> : null}
        {log.map((l, i) => (
          <Text key={`${l.at}-${i}`} wrap="truncate-end" color={l.color}>
            <Text dimColor>{recordTime(l.at)} </Text>
            {fit(l.text, columns - 14)}
          </Text>
        ))}
      </Panel>
      <StatusBar connection={conn} facts={[...presenter.facts(kind, run), ...(run.skipped > 0 ? [`skipped ${run.skipped} not this run's`] : [])]} />
      {run.stopping ? (
        <Text color="yellow" wrap="truncate-end">
          interrupted: stopping the participants and judging what the run got through…
        </Text>
      ) : (
        <KeyHints keys={[['q', 'stop the scenario and report']]} />
      )}
    </Box>
  );
}
