import {Box, Text} from 'ink';
import type {ConsumedRecord} from '../../kafka/records.js';
import {headersSummary, previewKey, previewValue, recordPosition, recordTime} from '../record-format.js';
import {fit} from './format.js';

export interface RecordTailProps {
  /** Oldest first; the last `height` are shown, newest at the bottom. */
  records: readonly ConsumedRecord[];
  height: number;
  /** Cells available; the value preview takes what the other columns leave. */
  width: number;
  /** Prefix each line with its topic (views over several topics). */
  showTopic?: boolean;
  /** Shown when there are no records. */
  empty?: string;
}

interface Line {
  id: string;
  time: string;
  topic: string;
  position: string;
  key: string;
  headers: string;
  value: string;
}

/** Width of a column: its widest cell, at most `max`, 0 when every cell is empty. */
const widthOf = (cells: string[], max: number) => Math.min(max, Math.max(0, ...cells.map((c) => c.length)));

/** A tail of records: time, partition@offset, key, headers summary, value preview (JSON compacted, binary as hex). */
export function RecordTail({records, height, width, showTopic = false, empty = 'waiting for records…'}: RecordTailProps) {
  const lines: Line[] = records.slice(-Math.max(0, height)).map((r) => ({
    id: `${r.topic}\u0000${r.partition}\u0000${r.offset}`,
    time: recordTime(r.timestamp),
    topic: r.topic,
    position: recordPosition(r),
    key: previewKey(r.key),
    headers: headersSummary(r.headers),
    value: previewValue(r.value),
  }));
  const w = {
    topic: showTopic ? widthOf(lines.map((l) => l.topic), Math.floor(width * 0.2)) : 0,
    position: widthOf(lines.map((l) => l.position), 24),
    key: widthOf(lines.map((l) => l.key), Math.max(6, Math.floor(width * 0.15))),
    headers: widthOf(lines.map((l) => l.headers), Math.max(8, Math.floor(width * 0.2))),
  };
  const cell = (text: string, cells: number) => (cells > 0 ? `${fit(text, cells).padEnd(cells)} ` : '');

  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {lines.length === 0 ? <Text dimColor>{empty}</Text> : null}
      {lines.map((l) => (
        <Text key={l.id} wrap="truncate-end">
          <Text dimColor>{l.time} </Text>
          {showTopic ? <Text color="blue">{cell(l.topic, w.topic)}</Text> : null}
          <Text color="cyan">{l.position.padStart(w.position)} </Text>
          <Text color="yellow">{cell(l.key, w.key)}</Text>
          <Text color="magenta">{cell(l.headers, w.headers)}</Text>
          <Text>{l.value}</Text>
        </Text>
      ))}
    </Box>
  );
}
