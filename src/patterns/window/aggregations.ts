import {ConfigError} from '../../core/errors.js';

/**
 * How a window folds its records into one value. `add` and `merge` return a new
 * aggregate (never change the one given): sliding windows start new windows from
 * an existing window's aggregate, and sessions merge theirs.
 */
export interface Aggregation<A = unknown, R = unknown> {
  /** For logs and views: "count", "sum(amount)". */
  name: string;
  init(): A;
  /** `value` is the record's decoded JSON value (null for a tombstone or non-JSON value, when the aggregation needs none). */
  add(agg: A, value: unknown): A;
  /** Two sessions' aggregates, when a record joins them into one. */
  merge(a: A, b: A): A;
  /** What a result carries. */
  result(agg: A): R;
  /** False when the record's value is never looked at (count): values are then not decoded. */
  readsValue: boolean;
}

/** A record whose value the aggregation cannot use (no such field, not a number). */
export class UnusableValueError extends Error {}

/** The value at a dotted path ("order.amount") of a decoded JSON value, or undefined. */
export function fieldOf(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

function numberField(value: unknown, field: string): number {
  const v = fieldOf(value, field);
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new UnusableValueError(`field ${field} is ${v === undefined ? 'missing' : `not a number (${JSON.stringify(v)})`}`);
  return n;
}

export const count: Aggregation<number, number> = {name: 'count', init: () => 0, add: (a) => a + 1, merge: (a, b) => a + b, result: (a) => a, readsValue: false};

export function sum(field: string): Aggregation<number, number> {
  return {name: `sum(${field})`, init: () => 0, add: (a, v) => a + numberField(v, field), merge: (a, b) => a + b, result: (a) => a, readsValue: true};
}

export function avg(field: string): Aggregation<{sum: number; count: number}, number | null> {
  return {
    name: `avg(${field})`,
    init: () => ({sum: 0, count: 0}),
    add: (a, v) => ({sum: a.sum + numberField(v, field), count: a.count + 1}),
    merge: (a, b) => ({sum: a.sum + b.sum, count: a.count + b.count}),
    result: (a) => (a.count === 0 ? null : a.sum / a.count),
    readsValue: true,
  };
}

function extreme(name: 'min' | 'max', field: string): Aggregation<number | null, number | null> {
  const pick = name === 'min' ? Math.min : Math.max;
  const both = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : pick(a, b));
  return {name: `${name}(${field})`, init: () => null, add: (a, v) => both(a, numberField(v, field)), merge: both, result: (a) => a, readsValue: true};
}

export const min = (field: string) => extreme('min', field);
export const max = (field: string) => extreme('max', field);

/** count, sum:FIELD, avg:FIELD, min:FIELD or max:FIELD. */
export function parseAggregation(text: string): Aggregation {
  const [name, field, ...rest] = text.split(':');
  if (name === 'count' && field === undefined) return count as Aggregation;
  const make = {sum, avg, min, max}[name as 'sum'];
  if (!make || !field || rest.length > 0) throw new ConfigError(`"${text}" is not an aggregation — use count, sum:FIELD, avg:FIELD, min:FIELD or max:FIELD`);
  return make(field) as Aggregation;
}
