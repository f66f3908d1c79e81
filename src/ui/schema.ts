/** Plain-text views of `kpat schema` results (the JSON lines carry the same facts). */
import type {CheckResult, CompatibilityMatrix} from '../kafka/schema-tools.js';
import type {SchemaChange} from '../kafka/schema-diff.js';
import {renderTable} from './table.js';

/** How to fix each kind of violation. */
const FIXES: Record<string, string> = {
  READER_FIELD_MISSING_DEFAULT_VALUE: 'give the field a default',
  TYPE_MISMATCH: 'keep the type, or widen it only as Avro promotes (int→long→float→double, string↔bytes)',
  MISSING_ENUM_SYMBOLS: 'keep the symbols, or give the reading enum a default symbol',
  MISSING_UNION_BRANCH: 'keep the union branch',
  NAME_MISMATCH: 'keep the name, or add the old one to aliases',
  FIXED_SIZE_MISMATCH: 'keep the fixed size',
};

export function checkLines(r: CheckResult): string[] {
  const lines: string[] = [];
  const against = r.checked.length === 0 ? 'nothing to check against' : `checked against version${r.checked.length === 1 ? '' : 's'} ${r.checked.join(', ')}`;
  lines.push(`${r.subject}: ${r.compatible ? 'compatible' : 'NOT compatible'} under ${r.level}${r.levelSource === 'registry' ? ' (the registry\'s level for it)' : ''} — ${against}`);
  if (r.registeredAs) lines.push(`this schema is already version ${r.registeredAs.version} (id ${r.registeredAs.id})`);
  for (const v of r.violations) {
    const who = v.direction === 'backward' ? `new schema reading v${v.version} data` : `v${v.version} reading new data`;
    lines.push(`  ✗ ${v.kind} ${v.field || '(top level)'} [${v.path}] — ${who}: ${v.detail}; fix: ${FIXES[v.kind] ?? 'see the Avro schema resolution rules'}`);
  }
  lines.push(`rollout: ${r.upgradeOrder}`);
  return lines;
}

export function diffTable(changes: SchemaChange[]): string {
  if (changes.length === 0) return 'no differences';
  return renderTable(['FIELD', 'CHANGE', 'FROM', 'TO'], changes.map((c) => [c.field || '(top level)', c.kind, c.from ?? '', c.to ?? '']));
}

export function matrixLines(m: CompatibilityMatrix): string[] {
  const cell = (r: number, w: number) => {
    const c = m.cells.find((x) => x.reader === r && x.writer === w)!;
    if (r === w) return '·';
    const hidden = m.hiddenBreaks.includes(c) ? '!' : '';
    return c.compatible ? 'ok' : `✗${c.violations}${hidden}`;
  };
  const lines = [
    `${m.subject}: can the reader version (row) read data written with the writer version (column)?`,
    renderTable(['READER \\ WRITER', ...m.versions.map((v) => `v${v}`)], m.versions.map((r) => [`v${r}`, ...m.versions.map((w) => cell(r, w))])),
    '✗N: N violations · !: a transitive break (every step between is compatible; only a _TRANSITIVE level refuses it)',
  ];
  for (const b of m.hiddenBreaks) lines.push(`  v${b.reader} cannot read v${b.writer} data, though each version between reads its neighbour`);
  return lines;
}
