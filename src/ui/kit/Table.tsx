import {Box, Text} from 'ink';
import {fit} from './format.js';

export interface Column<Row> {
  header: string;
  align?: 'left' | 'right';
  /** The cell's text; the column is as wide as its widest cell or header, up to maxWidth. */
  text: (row: Row) => string;
  color?: (row: Row) => string | undefined;
  bold?: (row: Row) => boolean;
  maxWidth?: number;
}

export interface TableProps<Row> {
  columns: ReadonlyArray<Column<Row>>;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** Lines for the header and the rows together; rows beyond scroll. Default: every row. */
  height?: number;
  /** Index of the first row shown (kept within range). */
  scroll?: number;
  /** Shown under the header when there are no rows. */
  empty?: string;
}

const GAP = '  ';

/** The first row index that keeps a window of `visible` rows within `total`. */
export function clampScroll(scroll: number, total: number, visible: number): number {
  return Math.max(0, Math.min(scroll, total - visible));
}

/**
 * A text table: one line per row, widths from the widest cell (of every row, so
 * scrolling does not make columns jump), a scroll window with its position in the
 * header when the rows do not fit.
 */
export function Table<Row>({columns, rows, rowKey, height, scroll = 0, empty}: TableProps<Row>) {
  const cells = rows.map((row) => columns.map((c) => c.text(row)));
  const widths = columns.map((c, i) => Math.min(c.maxWidth ?? Infinity, Math.max(c.header.length, ...cells.map((r) => r[i]!.length))));
  const pad = (text: string, i: number) => {
    const cut = fit(text, widths[i]!);
    return columns[i]!.align === 'right' ? cut.padStart(widths[i]!) : cut.padEnd(widths[i]!);
  };
  const visible = height === undefined ? rows.length : Math.max(0, height - 1);
  const first = clampScroll(scroll, rows.length, visible);
  const shown = rows.slice(first, first + visible);
  const position = rows.length > visible ? `  ${first + 1}-${first + shown.length} of ${rows.length} ↑↓` : '';

  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Text wrap="truncate-end">
        <Text bold>{columns.map((c, i) => pad(c.header, i)).join(GAP)}</Text>
        <Text dimColor>{position}</Text>
      </Text>
      {shown.length === 0 && empty ? <Text dimColor>{empty}</Text> : null}
      {shown.map((row, r) => (
        <Text key={rowKey(row)} wrap="truncate-end">
          {columns.map((c, i) => (
            <Text key={c.header} color={c.color?.(row)} bold={c.bold?.(row) ?? false}>
              {(i > 0 ? GAP : '') + pad(cells[first + r]![i]!, i)}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
