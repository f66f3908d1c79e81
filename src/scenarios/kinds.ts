import type {z} from 'zod';
import {ConfigError} from '../core/errors.js';
import {COMMON_FLAGS, type CommonFlagValues, type FlagValues, type KindFlags} from './flags.js';
import type {KindEvent} from './events.js';
import type {ScenarioReport} from './report.js';
import type {RunOptions} from './run-options.js';

/**
 * A type of scenario, as a plug-in: its file schema (the `kind` field picks
 * the type), the flags it takes besides the common ones (count, rate, seed,
 * timeout) and how they change the file's values, its run, and its own events
 * (`E`, besides the common ones). Its presenter lives in ui/scenario/<kind>/;
 * the two are paired in one registry at the command layer.
 */
export interface ScenarioKind<S = unknown, F extends KindFlags = KindFlags, E extends KindEvent = KindEvent> {
  kind: string;
  /** How help and errors name its scenarios: "saga", "dlt/retry". */
  label: string;
  schema: z.ZodType<S>;
  flags: F;
  /** The file's values with the flags given applied (common ones included). */
  applyFlags(spec: S, values: CommonFlagValues & FlagValues<F>): S;
  run(spec: S, opts: RunOptions<E>): Promise<ScenarioReport>;
  /** Whether `--resume` can finish an interrupted run of this kind. */
  resumable: boolean;
}

/** The flags given on the command line, by name (flags not given are absent or undefined). */
export type GivenFlags = Record<string, string | string[] | undefined>;

/**
 * Parses the scenario flags given for a run of `kind`. A flag the kind does
 * not declare is a usage error naming it and the scenarios that take it.
 */
export function parseKindFlags(kinds: readonly ScenarioKind[], kind: ScenarioKind, scenario: string, given: GivenFlags): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const refused: string[] = [];
  for (const [name, raw] of Object.entries(given)) {
    if (raw === undefined) continue;
    const flag = (COMMON_FLAGS as KindFlags)[name] ?? kind.flags[name];
    if (!flag) {
      const owners = kinds.filter((k) => name in k.flags).map((k) => k.label);
      refused.push(`--${name} does not apply to ${scenario} scenarios${owners.length > 0 ? ` (it is a ${owners.join(' and ')} flag)` : ''}`);
      continue;
    }
    values[name] = flag.parse(Array.isArray(raw) ? raw : [raw], `--${name}`);
  }
  if (refused.length > 0) throw new ConfigError(refused.join('; '));
  return values;
}

/** The names of every scenario flag, common and per kind. */
export function kindFlagNames(kinds: readonly ScenarioKind[]): string[] {
  return [...new Set([...Object.keys(COMMON_FLAGS), ...kinds.flatMap((k) => Object.keys(k.flags))])];
}
