import {Text} from 'ink';
import type {ConnectionStatus} from '../../kafka/topic-poller.js';

export interface StatusBarProps {
  connection: ConnectionStatus;
  /** Totals and the like, joined with " · ". */
  facts?: readonly string[];
  /** Omit for views that cannot pause. */
  paused?: boolean;
}

const STATE = {
  connecting: {mark: '◌', color: 'yellow', word: 'connecting to'},
  connected: {mark: '●', color: 'green', word: 'connected'},
  retrying: {mark: '✖', color: 'red', word: 'retrying'},
} as const;

/**
 * One line: connection state and broker, live or paused, then facts. A failure shows
 * its message first (it names the broker and the fix), so a narrow screen keeps it.
 */
export function StatusBar({connection, facts = [], paused}: StatusBarProps) {
  const s = STATE[connection.state];
  const failure = connection.state === 'retrying' && connection.error;
  return (
    <Text wrap="truncate-end">
      {failure ? (
        <Text color={s.color}>{`${s.mark} ${connection.error} · retrying`}</Text>
      ) : (
        <Text>
          <Text color={s.color}>{`${s.mark} ${s.word} `}</Text>
          <Text bold>{connection.brokers.join(',')}</Text>
        </Text>
      )}
      {paused === undefined ? null : paused ? (
        <Text>
          {' · '}
          <Text inverse color="yellow">
            {' PAUSED '}
          </Text>
        </Text>
      ) : (
        <Text color="green"> · live</Text>
      )}
      {facts.length > 0 ? <Text>{` · ${facts.join(' · ')}`}</Text> : null}
    </Text>
  );
}

export interface KeyHintsProps {
  keys: ReadonlyArray<readonly [key: string, action: string]>;
}

/** "q quit  p pause …": which keys do what. */
export function KeyHints({keys}: KeyHintsProps) {
  return (
    <Text wrap="truncate-end" dimColor>
      {keys.map(([k, action], i) => (
        <Text key={k}>
          {i > 0 ? '  ' : ''}
          <Text bold>{k}</Text> {action}
        </Text>
      ))}
    </Text>
  );
}
