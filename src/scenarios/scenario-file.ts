import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parse as parseYaml} from 'yaml';
import {z} from 'zod';
import {ConfigError} from '../kafka/errors.js';
import {DurationSchema} from './duration.js';

/**
 * A scenario file (scenarios/NAME.yaml): its topics, workload, the pattern
 * participants and their consumer groups, the faults it can inject, and the
 * invariants checked at the end. Validated here; every field has a meaning
 * the runner honours.
 */
const TopicSchema = z.object({
  name: z.string().min(1),
  partitions: z.number().int().min(1),
  configs: z.record(z.string(), z.string()).default({}),
});

const WorkloadSchema = z.object({
  generator: z.enum(['orders']),
  topic: z.string(),
  count: z.number().int().min(0),
  /** Records per second; 0 sends as fast as possible. */
  rate: z.number().min(0),
  seed: z.number().int(),
  /** Share of records that are poison pills (half malformed JSON, half schema violations). */
  poisonRate: z.number().min(0).max(1).default(0),
  customers: z.number().int().min(1).default(50),
});

const DependencySchema = z.object({
  failRate: z.number().min(0).max(1),
  recoverAfter: DurationSchema,
});

const BaseParticipant = {
  name: z.string(),
  group: z.string(),
  instances: z.number().int().min(1).default(1),
  topic: z.string(),
  /** Where the handler's side effect is written (one record per handled order). */
  output: z.string(),
  dlt: z.string().optional(),
};

const DeadLetterParticipant = z.object({
  ...BaseParticipant,
  pattern: z.literal('dead-letter'),
  blockingRetries: z.object({attempts: z.number().int().min(0), backoff: DurationSchema}).default({attempts: 0, backoff: 0}),
});

const RetryLadderParticipant = z.object({
  ...BaseParticipant,
  pattern: z.literal('retry-ladder'),
  delays: z.array(DurationSchema).min(1).optional(),
  backoff: z
    .discriminatedUnion('kind', [
      z.object({kind: z.literal('fixed'), delay: DurationSchema, maxAttempts: z.number().int().min(1)}),
      z.object({kind: z.literal('exponential'), initial: DurationSchema, multiplier: z.number().min(1), maxDelay: DurationSchema, maxAttempts: z.number().int().min(1)}),
    ])
    .optional(),
});

export const ParticipantSchema = z.discriminatedUnion('pattern', [DeadLetterParticipant, RetryLadderParticipant]);

export const ScenarioSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    topics: z.array(TopicSchema).min(1),
    workload: WorkloadSchema,
    faults: z.object({dependency: DependencySchema.optional()}).default({}),
    participants: z.array(ParticipantSchema).min(1),
    invariants: z.array(z.string()).min(1),
    /** Largest delay a record may see behind a poison pill on its partition (no head-of-line blocking). */
    headOfLineBound: DurationSchema.default(2000),
    timeout: DurationSchema,
  })
  .strict();

export type Scenario = z.output<typeof ScenarioSchema>;
export type ParticipantSpec = z.output<typeof ParticipantSchema>;

/** scenarios/ of this installation, found upwards from this file (works from src/ and dist/). */
export function scenariosDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'scenarios');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the scenarios/ folder of this kpat installation');
    dir = parent;
  }
}

export function availableScenarios(): string[] {
  return readdirSync(scenariosDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Loads scenarios/NAME.yaml (or a path to a .yaml file), with errors that name the field to fix. */
export function loadScenario(nameOrPath: string): Scenario {
  const path = nameOrPath.endsWith('.yaml') ? nameOrPath : join(scenariosDir(), `${nameOrPath}.yaml`);
  if (!existsSync(path)) {
    throw new ConfigError(`no scenario "${nameOrPath}" — available: ${availableScenarios().join(', ')}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${path}: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  return parsed.data;
}
