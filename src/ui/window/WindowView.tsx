import {Box, Text, useApp, useInput} from 'ink';
import {useEffect, useState} from 'react';
import type {Subscribable} from '../../core/event-stream.js';
import type {LateRecord, RestoreEvent, WindowEvent, WindowResult, WindowStarted} from '../../patterns/window/events.js';
import type {WindowSnapshot} from '../../patterns/window/window-aggregation.js';
import {KeyHints, Panel, Table, useEventBuffer, useTerminalSize, type Column} from '../kit/index.js';
import {shortDuration} from './lines.js';

export interface WindowViewProps {
  /** Everything the aggregation reports. */
  events: Subscribable<WindowEvent>;
  results: Subscribable<WindowResult>;
  late: Subscribable<LateRecord>;
  /** The store and stream times right now (polled: they change with every record). */
  snapshot: () => WindowSnapshot;
  onQuit: () => void;
}

/** 10:00:05.250 (UTC): windows are read against each other, the date rarely matters. */
const clock = (t: number) => new Date(t).toISOString().slice(11, 23);
const valueText = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : JSON.stringify(v));

type OpenRow = WindowSnapshot['open'][number];

const OPEN_COLUMNS: ReadonlyArray<Column<OpenRow>> = [
  {header: 'KEY', text: (w) => w.key, maxWidth: 20},
  {header: 'WINDOW (UTC)', text: (w) => `${clock(w.start)}–${clock(w.end)}`},
  {header: 'VALUE', align: 'right', text: (w) => valueText(w.value), maxWidth: 12},
  {header: 'CLOSES IN', align: 'right', text: (w) => (Number.isFinite(w.closesIn) ? shortDuration(w.closesIn) : '-')},
];

const RESULT_COLUMNS: ReadonlyArray<Column<WindowResult>> = [
  {header: 'KEY', text: (r) => r.key, maxWidth: 20},
  {header: 'WINDOW (UTC)', text: (r) => `${clock(r.start)}–${clock(r.end)}`},
  {header: 'VALUE', align: 'right', text: (r) => valueText(r.value), maxWidth: 12},
  {header: '', text: (r) => (r.final ? (r.closedBy === 'wall-clock' ? 'final (wall clock)' : 'final') : 'update'), color: (r) => (r.final ? 'green' : undefined)},
];

const LATE_COLUMNS: ReadonlyArray<Column<LateRecord>> = [
  {header: 'KEY', text: (l) => l.key, maxWidth: 20},
  {header: 'TIMESTAMP', text: (l) => clock(l.timestamp)},
  {header: 'AT', text: (l) => `p${l.partition}@${l.offset}`},
  {header: 'LATENESS', align: 'right', text: (l) => shortDuration(l.lateness), color: () => 'yellow'},
];

function restoreText(r: RestoreEvent | null): string {
  if (!r) return '';
  switch (r.type) {
    case 'restore-started':
      return `restoring ${r.changelog}: 0 of ${r.records}`;
    case 'restore-progress':
      return `restoring ${r.changelog}: ${r.restored} of ${r.records}`;
    case 'restore-done':
      return `restored ${r.windows} windows from ${r.restored} records in ${shortDuration(r.ms)}`;
  }
}

/**
 * The live view of `kpat window`: stream time per partition, the open windows
 * (soonest to close first, with the stream time still to go), results as they
 * are committed, late records with their lateness, and restore progress.
 */
export function WindowView({events, results, late, snapshot, onQuit}: WindowViewProps) {
  const {exit} = useApp();
  const {rows} = useTerminalSize();
  const [snap, setSnap] = useState<WindowSnapshot>(snapshot);
  const [started, setStarted] = useState<WindowStarted | null>(null);
  const [restore, setRestore] = useState<RestoreEvent | null>(null);
  const shownResults = useEventBuffer(results, {capacity: 50});
  const shownLate = useEventBuffer(late, {capacity: 50});

  useEffect(() => {
    const timer = setInterval(() => setSnap(snapshot()), 250);
    return () => clearInterval(timer);
  }, [snapshot]);
  useEffect(
    () =>
      events.subscribe((e) => {
        if (e.type === 'window-started') setStarted(e);
        if (e.type === 'restore-started' || e.type === 'restore-progress' || e.type === 'restore-done') setRestore(e);
      }),
    [events],
  );
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) {
      onQuit();
      exit();
    }
  });

  const partitions = Object.keys({...snap.streamTimes, ...snap.positions}).map(Number).sort((a, b) => a - b);
  const partitionHeight = Math.max(1, Math.min(partitions.length, 4)) + 2;
  const resultsHeight = 5;
  const lateHeight = 4;
  const openHeight = Math.max(4, rows - 3 - partitionHeight - resultsHeight - lateHeight);
  const title = started ? `${started.topic} · ${started.aggregation} over ${started.windows} · emit ${started.emit}` : 'starting…';
  const counts = `${snap.records} records · ${snap.results} results · ${snap.late} late · ${snap.skipped} skipped`;

  return (
    <Box flexDirection="column" height={rows}>
      <Text bold wrap="truncate-end">{`kpat window ${title}`}</Text>
      <Text wrap="truncate-end" dimColor>
        {[counts, restoreText(restore) || (started?.changelog ? '' : 'no --app-id: state in memory only')].filter(Boolean).join(' · ')}
      </Text>
      <Panel title="Stream time" height={partitionHeight}>
        <Table
          columns={[
            {header: 'PARTITION', align: 'right', text: (p: number) => String(p)},
            {header: 'STREAM TIME (UTC)', text: (p: number) => (snap.streamTimes[p] !== undefined ? new Date(snap.streamTimes[p]!).toISOString() : '-')},
            {header: 'NEXT OFFSET', align: 'right', text: (p: number) => String(snap.positions[p] ?? '-')},
          ]}
          rows={partitions}
          rowKey={(p) => String(p)}
          height={partitionHeight - 1}
          empty="no record yet"
        />
      </Panel>
      <Panel title="Open windows" right={`${snap.openCount}`} height={openHeight}>
        <Table columns={OPEN_COLUMNS} rows={snap.open} rowKey={(w) => `${w.key}@${w.start}`} height={openHeight - 1} empty="none open" />
      </Panel>
      <Panel title="Results" right={`${shownResults.received}`} height={resultsHeight}>
        <Table columns={RESULT_COLUMNS} rows={[...shownResults.items].reverse()} rowKey={(r) => `${r.key}@${r.start}/${r.end}/${r.at}`} height={resultsHeight - 1} empty="none yet" />
      </Panel>
      <Panel title="Late records" right={`${shownLate.received}`} height={lateHeight}>
        <Table columns={LATE_COLUMNS} rows={[...shownLate.items].reverse()} rowKey={(l) => `${l.partition}@${l.offset}`} height={lateHeight - 1} empty="none" />
      </Panel>
      <KeyHints keys={[['q', 'quit (commits first)']]} />
    </Box>
  );
}
