import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parse as parseYaml} from 'yaml';
import {ConfigError} from '../core/errors.js';
import {SCENARIO_KINDS, type ScenarioKind} from './kinds.js';

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

/**
 * Loads scenarios/NAME.yaml (or a path to a .yaml file): its `kind` picks the
 * scenario type, whose schema validates the rest. Errors name the field to fix.
 */
export function loadScenario(nameOrPath: string): {kind: ScenarioKind<unknown>; spec: unknown} {
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
  const kindName = (raw as {kind?: unknown} | null)?.kind;
  const kind = typeof kindName === 'string' ? SCENARIO_KINDS[kindName] : undefined;
  if (!kind) throw new ConfigError(`${path}: kind must be one of ${Object.keys(SCENARIO_KINDS).join(', ')}`);
  const parsed = kind.schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${path}: ${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  return {kind, spec: parsed.data};
}
