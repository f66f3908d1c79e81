import type {z} from 'zod';
import {errorHandlingKind} from './error-handling/kind.js';
import {sagaKind} from './saga/kind.js';
import {replayKind} from './replay/kind.js';
import type {RunOptions, ScenarioOverrides} from './run-options.js';
import type {ScenarioReport} from './report.js';

/**
 * A type of scenario. Its file schema validates the YAML (the `kind` field
 * picks the type), its overrides map the command's flags onto the file, and
 * `run` does the rest with the shared machinery (topics, run ids, seeded
 * workloads, fault injection, invariants read from the topics, the report).
 */
export interface ScenarioKind<S> {
  kind: string;
  schema: z.ZodType<S>;
  /** Applies flags to the file's values; throws ConfigError for a flag this kind has no use for. */
  applyOverrides(spec: S, overrides: ScenarioOverrides): S;
  run(spec: S, opts: RunOptions): Promise<ScenarioReport>;
  /** Whether `--resume` can finish an interrupted run of this kind. */
  resumable: boolean;
}

export const SCENARIO_KINDS: Record<string, ScenarioKind<unknown>> = {
  [errorHandlingKind.kind]: errorHandlingKind as ScenarioKind<unknown>,
  [sagaKind.kind]: sagaKind as ScenarioKind<unknown>,
  [replayKind.kind]: replayKind as ScenarioKind<unknown>,
};
