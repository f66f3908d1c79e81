import {ConfigError} from './errors.js';

/**
 * Parses repeated `--flag key=value` options (`--config`, `--header`, `--slow` …):
 * split at the first "=", later keys win; a value without a key is a usage error
 * that shows the flag's own example.
 */
export function parseKeyValues(values: readonly string[] | undefined, opts: {flag: string; example: string; shape?: string; trim?: boolean}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values ?? []) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new ConfigError(`${opts.flag} expects ${opts.shape ?? 'key=value'}, got "${pair}" (e.g. ${opts.flag} ${opts.example})`);
    const [key, value] = [pair.slice(0, i), pair.slice(i + 1)];
    out[opts.trim ? key.trim() : key] = opts.trim ? value.trim() : value;
  }
  return out;
}
