/**
 * The view kit: Ink components that take plain data (rows, snapshots, records) and
 * hooks that connect them to live sources. Scenario views compose these.
 */
export {Table, clampScroll, type Column, type TableProps} from './Table.js';
export {PartitionTable, type PartitionTableProps} from './PartitionTable.js';
export {LagTable, type LagTableProps} from './LagTable.js';
export {GroupTabs, type GroupTabsProps, type GroupSummary} from './GroupTabs.js';
export {RecordTail, type RecordTailProps} from './RecordTail.js';
export {StatusBar, KeyHints, type StatusBarProps, type KeyHintsProps} from './StatusBar.js';
export {Panel, type PanelProps} from './Panel.js';
export {useLive, useEventBuffer, useTerminalSize, type EventBuffer, type EventBufferOptions} from './hooks.js';
export {sparkline, formatRate, fit, HEALTH_COLOR} from './format.js';
