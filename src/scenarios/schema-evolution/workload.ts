import {prng} from '../../core/random.js';
import type {AvroRecordJson, EvolutionScenario} from './schema.js';

/** An order as the scenario knows it: a value for every field any version has, by name. */
export type FullOrder = Record<string, unknown>;

interface FieldJson {
  name: string;
  type: unknown;
  default?: unknown;
}

const fieldsOf = (schema: AvroRecordJson): FieldJson[] => schema.fields as FieldJson[];

/** A seeded value of an Avro type: primitives, enums and unions (their first non-null branch). */
function valueOf(type: unknown, name: string, rand: () => number): unknown {
  if (Array.isArray(type)) {
    const branch = type.find((t) => t !== 'null');
    return branch === undefined ? null : valueOf(branch, name, rand);
  }
  if (typeof type === 'object' && type !== null) {
    const t = type as {type: string; symbols?: string[]; items?: unknown};
    if (t.type === 'enum') return t.symbols![Math.floor(rand() * t.symbols!.length)];
    return valueOf(t.type, name, rand);
  }
  switch (type) {
    case 'int':
    case 'long':
      return Math.floor(rand() * 1000);
    case 'float':
    case 'double':
      return Math.round((5 + rand() * 495) * 100) / 100;
    case 'boolean':
      return rand() < 0.5;
    default:
      return `${name}-${Math.floor(rand() * 100)}`;
  }
}

/**
 * Order i of a run, deterministic for a seed: orderId names the run and the
 * order; a field with `values` in the file picks one of them; any other gets a
 * value of its type (the first version that has the field decides its type).
 */
export function fullOrder(s: EvolutionScenario, runId: string, i: number): FullOrder {
  const rand = prng(s.workload.seed * 7919 + i);
  const order: FullOrder = {};
  for (const schema of Object.values(s.schemas)) {
    for (const f of fieldsOf(schema)) {
      if (f.name in order) continue;
      const choices = s.workload.values[f.name];
      if (f.name === 'orderId') order[f.name] = `o-${runId}-${i}`;
      else if (choices) order[f.name] = choices[Math.floor(rand() * choices.length)];
      else order[f.name] = valueOf(f.type, f.name, rand);
    }
  }
  return order;
}

/** What a producer at `writer` writes of an order: the fields its schema has, in its order. */
export function writtenValue(order: FullOrder, writer: AvroRecordJson): Record<string, unknown> {
  return Object.fromEntries(fieldsOf(writer).map((f) => [f.name, order[f.name]]));
}

/**
 * What a consumer at `reader` must decode from a record written at `writer`,
 * by Avro's resolution rules for records (written apart from avsc on purpose:
 * the report compares avsc's result with this): a field both have keeps the
 * written value, a field only the reader has takes its default, a field only
 * the writer has is dropped. `defaulted` names the fields filled by default.
 */
export function expectedRead(order: FullOrder, writer: AvroRecordJson, reader: AvroRecordJson): {value: Record<string, unknown>; defaulted: string[]} {
  const written = new Set(fieldsOf(writer).map((f) => f.name));
  const value: Record<string, unknown> = {};
  const defaulted: string[] = [];
  for (const f of fieldsOf(reader)) {
    if (written.has(f.name)) value[f.name] = order[f.name];
    else {
      value[f.name] = f.default;
      defaulted.push(f.name);
    }
  }
  return {value, defaulted};
}

/** The orders each producing step writes: `count` split evenly over the steps, each step's share round-robin over its producers. */
export function stepShares(s: EvolutionScenario, producing: number): number[] {
  const base = Math.floor(s.workload.count / Math.max(1, producing));
  return Array.from({length: producing}, (_, k) => base + (k < s.workload.count % producing ? 1 : 0));
}
