import {Box, Text, useApp, useInput} from 'ink';
import {useEffect, useState} from 'react';
import type {ConnectionStatus, TopicSnapshot} from '../../kafka/topic-poller.js';
import type {LiveSource} from '../../core/event-stream.js';
import {fit} from '../kit/format.js';
import {useLive, useTerminalSize} from '../kit/hooks.js';
import {Panel} from '../kit/Panel.js';
import {KeyHints, StatusBar} from '../kit/StatusBar.js';
import {recordTime} from '../record-format.js';
import {SagaBoardPanel} from './SagaBoardPanel.js';
import type {ScenarioModelState} from './scenario-model.js';
import {StagesPanel} from './StagesPanel.js';
import {TopicsPanel} from './TopicsPanel.js';

export interface ScenarioViewProps {
  model: LiveSource<ScenarioModelState>;
  topics: LiveSource<readonly TopicSnapshot[]>;
  connection: LiveSource<ConnectionStatus>;
  /** Called when the user asks to stop (q): the scenario stops and reports. */
  onQuit: () => void;
  size?: {columns: number; rows: number};
}

/**
 * A scenario as it runs: its pattern (the saga board, or the dead-letter/retry
 * pipeline), its topics with lag and health, the notable events, and the status.
 */
export function ScenarioView({model, topics, connection, onQuit, size}: ScenarioViewProps) {
  const terminal = useTerminalSize();
  const {columns, rows} = size ?? terminal;
  const state = useLive(model);
  const snapshots = useLive(topics);
  const conn = useLive(connection);
  const [now, setNow] = useState(Date.now());
  const {exit} = useApp();
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    if (state.report) exit();
  }, [state.report, exit]);
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) {
      onQuit();
    }
  });

  const elapsed = ((now - state.startedAt) / 1000).toFixed(1);
  const body = Math.max(6, rows - 3);
  const patternRows = state.board ? Math.min(12, Math.max(3, Math.floor(body * 0.4))) : Math.min(state.stageTopics.length + 2, Math.floor(body * 0.4));
  const topicRows = Math.min(snapshots.length + 2, Math.max(3, Math.floor(body * 0.3)));
  const logRows = Math.max(1, body - patternRows - topicRows - 3);
  const log = state.log.slice(-logRows);
  const title = state.scenario ? `kpat scenario ${state.scenario}` : 'kpat scenario';

  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Panel title={state.board ? 'sagas' : 'pipeline'} right={`${title} · run ${state.runId || '…'} · ${elapsed}s`} height={patternRows + 1}>
        {state.board ? (
          <SagaBoardPanel counts={state.board.counts} recent={state.board.recent} width={columns} rows={patternRows - 1} />
        ) : (
          <StagesPanel stages={state.stages} now={now} height={patternRows} />
        )}
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
      <StatusBar connection={conn} facts={[`sent ${state.produced}/${state.expected}`, `${state.board ? 'settled' : 'done'} ${state.done}/${state.expected}`, ...(state.skipped > 0 ? [`skipped ${state.skipped} not this run's`] : [])]} />
      <KeyHints keys={[['q', 'stop the scenario and report']]} />
    </Box>
  );
}
