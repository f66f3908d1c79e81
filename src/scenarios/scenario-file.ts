import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parse as parseYaml} from 'yaml';
import type {z} from 'zod';
import {ConfigError} from '../core/errors.js';
import type {ScenarioKind} from './kinds.js';

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

/** A path to a file rather than the name of a bundled scenario. */
const isPath = (nameOrPath: string) => /\.ya?ml$/.test(nameOrPath) || nameOrPath.includes('/') || nameOrPath.includes('\\');

/** "workload: unknown key "poisonRat"", "topics.0.partitions: …": the first problem, where it is. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `${where ? `${where}: ` : ''}unknown key${issue.keys.length === 1 ? '' : 's'} ${keys}`;
  }
  return `${where || 'file'}: ${issue.message}`;
}

/**
 * Loads scenarios/NAME.yaml (or a path to a .yaml file): its `kind` picks the
 * scenario type among `kinds`, whose schema validates the rest. Errors name the
 * file and the field to fix.
 */
export function loadScenario(nameOrPath: string, kinds: readonly ScenarioKind[]): {kind: ScenarioKind; spec: unknown} {
  const path = isPath(nameOrPath) ? nameOrPath : join(scenariosDir(), `${nameOrPath}.yaml`);
  if (!existsSync(path)) {
    if (isPath(nameOrPath)) throw new ConfigError(`scenario file ${nameOrPath} does not exist — check the path (bundled scenarios: ${availableScenarios().join(', ')})`);
    throw new ConfigError(`no scenario "${nameOrPath}" — available: ${availableScenarios().join(', ')}, or a path to a scenario .yaml file`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  const kindName = (raw as {kind?: unknown} | null)?.kind;
  const kind = kinds.find((k) => k.kind === kindName);
  if (!kind) throw new ConfigError(`${path}: kind must be one of ${kinds.map((k) => k.kind).join(', ')}`);
  const parsed = kind.schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${path}: ${describeIssue(parsed.error.issues[0]!)}`);
  return {kind, spec: parsed.data};
}
