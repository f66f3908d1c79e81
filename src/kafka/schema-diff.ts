/**
 * Field-by-field differences between two Avro schemas: what was added,
 * removed, retyped or given another default, with the field's path.
 */
import type avro from 'avsc';

export type SchemaChangeKind = 'field-added' | 'field-removed' | 'type-changed' | 'default-changed' | 'symbols-added' | 'symbols-removed' | 'branches-added' | 'branches-removed' | 'size-changed' | 'name-changed';

export interface SchemaChange {
  kind: SchemaChangeKind;
  /** Field path by names: order.lines[].price ('' = the top level). */
  field: string;
  from?: string;
  to?: string;
}

type Node = avro.Type & {
  fields?: Array<{name: string; type: Node; defaultValue(): unknown}>;
  symbols?: string[];
  size?: number;
  itemsType?: Node;
  valuesType?: Node;
  types?: Node[];
  underlyingType?: Node;
};

const kindOf = (t: Node) => (t.typeName.startsWith('union') ? 'union' : t.typeName);

/** A short label for a type: int, string?, array<Line>, map<long>, [null, string], shop.Order. */
export function typeLabel(t: Node): string {
  const logical = t.underlyingType ? `${(t.schema() as {logicalType?: string}).logicalType ?? 'logical'}(${typeLabel(t.underlyingType)})` : undefined;
  if (logical) return logical;
  switch (kindOf(t)) {
    case 'array':
      return `array<${typeLabel(t.itemsType!)}>`;
    case 'map':
      return `map<${typeLabel(t.valuesType!)}>`;
    case 'union':
      return `[${t.types!.map(typeLabel).join(', ')}]`;
    default:
      return t.name ?? t.typeName;
  }
}

const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v, (_k, x: unknown) => (Buffer.isBuffer(x) ? x.toString('latin1') : x)));
const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

export function diffSchemas(from: avro.Type, to: avro.Type): SchemaChange[] {
  const out: SchemaChange[] = [];
  walk(from as Node, to as Node, '', out, new Set());
  return out;
}

function walk(a: Node, b: Node, field: string, out: SchemaChange[], seen: Set<string>): void {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) {
    out.push({kind: 'type-changed', field, from: typeLabel(a), to: typeLabel(b)});
    return;
  }
  if (a.name && b.name) {
    const pair = `${a.name}|${b.name}`;
    if (seen.has(pair)) return;
    seen = new Set(seen).add(pair);
    if (a.name !== b.name) out.push({kind: 'name-changed', field, from: a.name, to: b.name});
  }
  switch (ka) {
    case 'record': {
      for (const f of a.fields!) if (!b.fields!.some((g) => g.name === f.name)) out.push({kind: 'field-removed', field: join(field, f.name), from: typeLabel(f.type)});
      for (const g of b.fields!) {
        const f = a.fields!.find((x) => x.name === g.name);
        const path = join(field, g.name);
        if (!f) {
          out.push({kind: 'field-added', field: path, to: `${typeLabel(g.type)}${g.defaultValue() === undefined ? ' (no default)' : ` = ${show(g.defaultValue())}`}`});
          continue;
        }
        const [da, db] = [show(f.defaultValue()), show(g.defaultValue())];
        if (da !== db) out.push({kind: 'default-changed', field: path, from: da, to: db});
        walk(f.type, g.type, path, out, seen);
      }
      return;
    }
    case 'enum': {
      const added = b.symbols!.filter((s) => !a.symbols!.includes(s));
      const removed = a.symbols!.filter((s) => !b.symbols!.includes(s));
      if (added.length > 0) out.push({kind: 'symbols-added', field, to: added.join(', ')});
      if (removed.length > 0) out.push({kind: 'symbols-removed', field, from: removed.join(', ')});
      return;
    }
    case 'fixed':
      if (a.size !== b.size) out.push({kind: 'size-changed', field, from: String(a.size), to: String(b.size)});
      return;
    case 'array':
      return walk(a.itemsType!, b.itemsType!, `${field}[]`, out, seen);
    case 'map':
      return walk(a.valuesType!, b.valuesType!, `${field}{}`, out, seen);
    case 'union': {
      const la = a.types!.map(typeLabel);
      const lb = b.types!.map(typeLabel);
      const added = lb.filter((l) => !la.includes(l));
      const removed = la.filter((l) => !lb.includes(l));
      if (added.length > 0) out.push({kind: 'branches-added', field, to: added.join(', ')});
      if (removed.length > 0) out.push({kind: 'branches-removed', field, from: removed.join(', ')});
      // Branches present on both sides (named records) may have changed inside.
      a.types!.forEach((t) => {
        const match = b.types!.find((u) => u.name !== undefined && u.name === t.name);
        if (match) walk(t, match, field, out, seen);
      });
      return;
    }
    default:
      if (typeLabel(a) !== typeLabel(b)) out.push({kind: 'type-changed', field, from: typeLabel(a), to: typeLabel(b)});
  }
}
