/**
 * Avro schema resolution (the specification's "Schema Resolution" rules), as a
 * list of every place a reader schema cannot read what a writer schema wrote —
 * not only the first. The kinds and paths follow Avro's own compatibility
 * checker (and so Confluent's verbose messages).
 */
import type avro from 'avsc';

export type ViolationKind =
  | 'NAME_MISMATCH'
  | 'FIXED_SIZE_MISMATCH'
  | 'MISSING_ENUM_SYMBOLS'
  | 'READER_FIELD_MISSING_DEFAULT_VALUE'
  | 'TYPE_MISMATCH'
  | 'MISSING_UNION_BRANCH';

export interface Violation {
  kind: ViolationKind;
  /** JSON-pointer-like location in the reader schema, e.g. /fields/2/type/items. */
  path: string;
  /** The same place by field names, e.g. order.items[].price ('' = the top level). */
  field: string;
  /** What is wrong, in words. */
  detail: string;
}

interface Where {
  path: string;
  field: string;
}

type Node = avro.Type & {
  fields?: Array<{name: string; aliases: string[]; type: Node; defaultValue(): unknown}>;
  symbols?: string[];
  default?: unknown;
  size?: number;
  itemsType?: Node;
  valuesType?: Node;
  types?: Node[];
  underlyingType?: Node;
};

const PROMOTIONS: Record<string, string[]> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};

/** int, record, union … (logical types count as their underlying type). */
function kindOf(t: Node): string {
  const base = t.underlyingType ?? t;
  return base.typeName.startsWith('union') ? 'union' : base.typeName;
}

const unwrap = (t: Node): Node => t.underlyingType ?? t;
const shortName = (name: string | undefined) => (name ?? '').split('.').pop() ?? '';
const describe = (t: Node) => (t.name ? `${kindOf(t)} ${t.name}` : kindOf(t));

/** Can the reader's named type stand for the writer's? Full names, or the reader's aliases. */
function namesMatch(reader: Node, writer: Node): boolean {
  if (reader.name === writer.name) return true;
  const aliases = reader.aliases ?? [];
  return aliases.includes(writer.name ?? '') || aliases.map(shortName).includes(shortName(writer.name));
}

/** Every violation met when `reader` reads data written with `writer`; empty = compatible. */
export function resolutionViolations(reader: avro.Type, writer: avro.Type): Violation[] {
  const out: Violation[] = [];
  check(reader as Node, writer as Node, {path: '', field: ''}, out, new Set());
  return out;
}

/** True when reading works (no violation). */
export function canRead(reader: avro.Type, writer: avro.Type): boolean {
  return resolutionViolations(reader, writer).length === 0;
}

function check(readerType: Node, writerType: Node, at: Where, out: Violation[], seen: Set<string>): void {
  const reader = unwrap(readerType);
  const writer = unwrap(writerType);
  const rk = kindOf(reader);
  const wk = kindOf(writer);
  // Recursive named types: a pair already under way is assumed fine here (it is checked where it started).
  if (reader.name && writer.name) {
    const pair = `${reader.name}<-${writer.name}`;
    if (seen.has(pair)) return;
    seen = new Set(seen).add(pair);
  }
  const report = (kind: ViolationKind, detail: string, where: Where = at): void => {
    out.push({kind, path: where.path || '/', field: where.field, detail});
  };

  if (wk === 'union') {
    // Every branch the writer may have used must be readable.
    writer.types!.forEach((branch, i) => {
      const trial: Violation[] = [];
      check(reader, branch, at, trial, seen);
      if (trial.length === 0) return;
      if (rk === 'union') report('MISSING_UNION_BRANCH', `reader union lacks writer union branch ${i} (${describe(branch)})`, {path: `${at.path}/${i}`, field: at.field});
      else out.push(...trial);
    });
    return;
  }
  if (rk === 'union') {
    const readable = reader.types!.some((branch) => {
      const trial: Violation[] = [];
      check(branch, writer, at, trial, seen);
      return trial.length === 0;
    });
    if (!readable) report('MISSING_UNION_BRANCH', `reader union has no branch for the writer's ${describe(writer)}`);
    return;
  }
  if (rk !== wk) {
    if (!(PROMOTIONS[wk] ?? []).includes(rk)) report('TYPE_MISMATCH', `reader type ${rk} cannot read writer type ${wk}`);
    return;
  }
  switch (rk) {
    case 'record':
      return checkRecord(reader, writer, at, out, seen, report);
    case 'enum': {
      if (!namesMatch(reader, writer)) return report('NAME_MISMATCH', `expected name ${writer.name}, found ${reader.name}`, sub(at, '/name'));
      if (reader.default !== undefined) return;
      const missing = writer.symbols!.filter((s) => !reader.symbols!.includes(s));
      if (missing.length > 0) report('MISSING_ENUM_SYMBOLS', `reader enum ${reader.name} lacks symbol${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (and has no default)`, sub(at, '/symbols'));
      return;
    }
    case 'fixed':
      if (!namesMatch(reader, writer)) report('NAME_MISMATCH', `expected name ${writer.name}, found ${reader.name}`, sub(at, '/name'));
      if (reader.size !== writer.size) report('FIXED_SIZE_MISMATCH', `expected size ${writer.size}, found ${reader.size}`, sub(at, '/size'));
      return;
    case 'array':
      return check(reader.itemsType!, writer.itemsType!, {path: `${at.path}/items`, field: `${at.field}[]`}, out, seen);
    case 'map':
      return check(reader.valuesType!, writer.valuesType!, {path: `${at.path}/values`, field: `${at.field}{}`}, out, seen);
    default:
      return; // the same primitive
  }
}

const sub = (at: Where, suffix: string): Where => ({path: `${at.path}${suffix}`, field: at.field});

function checkRecord(reader: Node, writer: Node, at: Where, out: Violation[], seen: Set<string>, report: (kind: ViolationKind, detail: string, where?: Where) => void): void {
  if (!namesMatch(reader, writer)) report('NAME_MISMATCH', `expected name ${writer.name}, found ${reader.name}`, sub(at, '/name'));
  reader.fields!.forEach((field, i) => {
    const where = {path: `${at.path}/fields/${i}`, field: at.field ? `${at.field}.${field.name}` : field.name};
    const written = writer.fields!.find((w) => w.name === field.name) ?? writer.fields!.find((w) => field.aliases.includes(w.name));
    if (written) check(field.type, written.type, {path: `${where.path}/type`, field: where.field}, out, seen);
    else if (field.defaultValue() === undefined) report('READER_FIELD_MISSING_DEFAULT_VALUE', `field ${field.name} is new to the reader and has no default`, where);
  });
}
