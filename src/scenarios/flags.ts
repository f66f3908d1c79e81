import {ConfigError} from '../core/errors.js';
import {parseDuration} from '../core/duration.js';
import {parseKeyValues} from '../core/key-values.js';

/**
 * A command-line flag a scenario kind accepts, declared without the CLI
 * framework: the command turns every kind's flags into its own, and a kind's
 * `parse` turns the text given into the value its file understands (throwing
 * ConfigError, exit 2, with the flag's example when it cannot).
 */
export interface KindFlag<V> {
  summary: string;
  /** A value as a user would write it, e.g. "payment=200ms". */
  example: string;
  char?: string;
  /** Repeatable: every value given reaches `parse`. */
  multiple?: boolean;
  /** The only values accepted (shown in --help). */
  options?: readonly string[];
  parse(values: readonly string[], flag: string): V;
}

export type KindFlags = Record<string, KindFlag<unknown>>;

/** The parsed values of a set of flags; a flag not given is undefined. */
export type FlagValues<F extends KindFlags> = {[K in keyof F]?: F[K] extends KindFlag<infer V> ? V : never};

const only = (values: readonly string[]) => values.at(-1)!;

export function integerFlag(summary: string, opts: {min?: number; max?: number; char?: string; example: string}): KindFlag<number> {
  return {
    summary,
    example: opts.example,
    char: opts.char,
    parse(values, flag) {
      const text = only(values);
      const n = Number(text);
      const {min, max} = opts;
      const range = min === undefined ? '' : max === undefined ? ` of at least ${min}` : ` from ${min} to ${max}`;
      if (text.trim() === '' || !Number.isSafeInteger(n) || (min !== undefined && n < min) || (max !== undefined && n > max)) {
        throw new ConfigError(`${flag} must be a whole number${range}, got "${text}" (e.g. ${flag} ${opts.example})`);
      }
      return n;
    },
  };
}

export function ratioFlag(summary: string, example = '0.2'): KindFlag<number> {
  return {summary, example, parse: (values, flag) => ratio(only(values), flag)};
}

export function durationFlag(summary: string, example: string): KindFlag<number> {
  return {summary, example, parse: (values, flag) => duration(only(values), flag)};
}

export function choiceFlag<T extends string>(summary: string, options: readonly T[]): KindFlag<T> {
  return {
    summary,
    example: options[0]!,
    options,
    parse(values, flag) {
      const v = only(values);
      if ((options as readonly string[]).includes(v)) return v as T;
      throw new ConfigError(`${flag} must be one of ${options.join(', ')}, got "${v}"`);
    },
  };
}

/** A repeatable NAME=VALUE flag (`--slow payment=200ms`): names from `names`, values parsed by `value`. */
export function perNameFlag<N extends string, V>(summary: string, example: string, names: readonly N[], value: (text: string, flag: string) => V): KindFlag<Partial<Record<N, V>>> {
  return {
    summary,
    example,
    multiple: true,
    parse(values, flag) {
      const raw = parseKeyValues(values, {flag, example, shape: 'NAME=VALUE', trim: true});
      const out: Partial<Record<N, V>> = {};
      for (const [name, text] of Object.entries(raw)) {
        if (!(names as readonly string[]).includes(name)) throw new ConfigError(`${flag} must be one of ${names.join(', ')}, got "${name}" (e.g. ${flag} ${example})`);
        out[name as N] = value(text, flag);
      }
      return out;
    },
  };
}

export function ratio(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new ConfigError(`${flag} must be a number from 0 to 1, got "${value}"`);
  return n;
}

export function duration(value: string, flag: string): number {
  const ms = parseDuration(value);
  if (ms === null) throw new ConfigError(`${flag} must be a duration like 500ms, 10s or 2m, got "${value}"`);
  return ms;
}

/** The flags every kind takes: how much to send, how fast, which seed, how long to wait. */
export const COMMON_FLAGS = {
  count: integerFlag('Records to send.', {min: 1, char: 'n', example: '500'}),
  rate: integerFlag('Records per second (0 = as fast as possible).', {min: 0, char: 'r', example: '100'}),
  seed: integerFlag('Seed: the same seed gives the same run.', {example: '7'}),
  timeout: durationFlag('Give up waiting after this long, e.g. 2m.', '2m'),
  'metrics-port': integerFlag('Serve the run\'s kpat_pattern_… counters for Prometheus at http://127.0.0.1:PORT/metrics (0 = any free port); the run waits up to 15 s at its end for a last scrape.', {min: 0, max: 65535, example: '9464'}),
} satisfies KindFlags;

export type CommonFlagValues = FlagValues<typeof COMMON_FLAGS>;
