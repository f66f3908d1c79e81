import {Box, Text, useApp, useInput} from 'ink';
import {useRef, useState} from 'react';
import {recordMatches} from '../../kafka/records.js';
import type {TopicWatchSources} from '../../kafka/topic-watch.js';
import {formatRate} from '../kit/format.js';
import {recordTime} from '../record-format.js';
import {GroupTabs} from '../kit/GroupTabs.js';
import {useEventBuffer, useLive, useTerminalSize} from '../kit/hooks.js';
import {Panel} from '../kit/Panel.js';
import {PartitionTable} from '../kit/PartitionTable.js';
import {RecordTail} from '../kit/RecordTail.js';
import {KeyHints, StatusBar} from '../kit/StatusBar.js';
import {clampScroll} from '../kit/Table.js';
import {plural} from '../../core/plural.js';

export interface WatchViewProps {
  watch: TopicWatchSources;
  filter?: string;
  /** The tail takes no more records after this many. */
  maxRecords?: number;
  /** Fixed size (tests); default: the terminal's, following resizes. */
  size?: {columns: number; rows: number};
}

const KEYS = [
  ['q', 'quit'],
  ['p', 'pause'],
  ['g', 'next group'],
  ['/', 'filter'],
  ['↑↓', 'scroll partitions'],
] as const;

/** Lines that are not table or tail: two panel titles, the group line, the status line and the key hints. */
const CHROME = 5;

/** `kpat watch`: partitions with one group's lag and health, every group's headline, a tail of records, and the status. */
export function WatchView({watch, filter: initialFilter = '', maxRecords, size}: WatchViewProps) {
  const terminal = useTerminalSize();
  const {columns, rows} = size ?? terminal;
  const snapshot = useLive(watch.snapshots);
  const connection = useLive(watch.connection);
  const [paused, setPaused] = useState(false);
  const [filter, setFilter] = useState(initialFilter);
  const [draft, setDraft] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [scroll, setScroll] = useState(0);
  // Five tail updates a second read as a smooth scroll and keep a full-screen redraw cheap.
  const tail = useEventBuffer(watch.records, {capacity: 2000, flushMs: 200, paused, limit: maxRecords});
  const {exit} = useApp();

  const groups = snapshot.groups;
  const group = groups.find((g) => g.groupId === selectedId) ?? groups[0];
  // Ink redraws the whole screen once its output reaches the last row, so leave that row free.
  const body = Math.max(4, rows - 1 - CHROME);
  // Header and rows; one row at least, for the "no partitions yet" line before the first poll.
  const tableHeight = Math.min(Math.max(1, snapshot.partitions.length) + 1, Math.max(2, Math.floor(body * 0.45)));
  const tailHeight = body - tableHeight;
  const visibleRows = tableHeight - 1;
  const shown = filter === '' ? tail.items : tail.items.filter((r) => recordMatches(r, filter));

  // Keys can arrive before the handler of the latest render is attached (a paste, a busy
  // process), so the handler reads refs and the source, which are always current.
  const editing = useRef<string | null>(null);
  const applied = useRef(initialFilter);
  const edit = (next: string | null) => {
    editing.current = next;
    setDraft(next);
  };
  useInput((input, key) => {
    const current = editing.current;
    if (current !== null) {
      if (key.return) {
        applied.current = current.trim();
        setFilter(applied.current);
        edit(null);
      } else if (key.escape) edit(null);
      else if (key.backspace || key.delete) edit(current.slice(0, -1));
      else if (input && !key.ctrl && !key.meta) edit(current + input);
      return;
    }
    const latest = watch.snapshots.current();
    const move = (by: number) => setScroll((s) => clampScroll(s + by, latest.partitions.length, visibleRows));
    const nextGroup = (selected: string | null) => {
      const ids = latest.groups.map((g) => g.groupId);
      return ids[(Math.max(0, ids.indexOf(selected ?? '')) + 1) % ids.length]!;
    };
    if (input === 'q') exit();
    else if (input === 'p') setPaused((p) => !p);
    else if (input === '/') edit(applied.current);
    else if (input === 'g' && latest.groups.length > 0) setSelectedId((selected) => nextGroup(selected));
    else if (key.upArrow) move(-1);
    else if (key.downArrow) move(1);
    else if (key.pageUp) move(-visibleRows);
    else if (key.pageDown) move(visibleRows);
  });

  const facts = [
    plural(snapshot.partitions.length, 'partition'),
    `${formatRate(snapshot.rate)} rec/s`,
    `${plural(tail.received, 'record')}${maxRecords !== undefined && tail.received >= maxRecords ? ' (--max reached)' : ''}`,
    ...(group ? [`lag ${group.totalLag}`] : []),
  ];
  // While retrying, the table keeps the last poll: say how old it is.
  const stale = connection.state !== 'connected' && snapshot.at > 0 ? `as of ${recordTime(snapshot.at)}` : '';
  const tableNote = [group ? `lag of ${group.groupId}` : '', stale].filter(Boolean).join(' · ');
  const tailNote = [filter ? `filter "${filter}": ${shown.length} of ${tail.items.length}` : '', paused ? 'paused' : ''].filter(Boolean).join(' · ');

  return (
    <Box flexDirection="column" width={columns} height={rows - 1}>
      <Panel title={snapshot.topic} right={tableNote} height={tableHeight + 1}>
        <PartitionTable
          partitions={snapshot.partitions}
          lag={group?.partitions}
          height={tableHeight}
          scroll={scroll}
          trendWidth={columns >= 160 ? 20 : 10}
          showOwner={columns >= 120}
        />
      </Panel>
      <GroupTabs groups={groups} selected={group?.groupId} />
      <Panel title="records" right={tailNote} grow>
        <RecordTail records={shown} height={tailHeight} width={columns} empty={filter ? `no record matches "${filter}" yet` : 'waiting for records…'} />
      </Panel>
      <StatusBar connection={connection} facts={facts} paused={paused} />
      {draft === null ? (
        <KeyHints keys={KEYS} />
      ) : (
        <Text wrap="truncate-end">
          <Text bold>filter: </Text>
          {draft}
          <Text inverse> </Text>
          <Text dimColor> Enter apply · Esc cancel · empty clears</Text>
        </Text>
      )}
    </Box>
  );
}
