import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {ConfigError, OperationError} from '../core/errors.js';
import {stackPaths} from '../stack/paths.js';
import {readRunningStack} from '../stack/state.js';
import {CONFIG_FILE_NAME, loadConfigFile} from './connection.js';

/** embedded: started in-process beside a scenario's embedded broker, for that run only. */
export type RegistrySource = 'flag' | 'env' | 'config' | 'local-stack' | 'embedded';

export interface RegistryTarget {
  url: string;
  source: RegistrySource;
}

/** No registry configured anywhere: exit 1, naming both fixes. */
export class NoRegistryError extends OperationError {
  constructor() {
    super('no schema registry configured and no local stack running — run `kpat up` or pass --registry http://HOST:8081');
  }
}

function checkedUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${where}: "${value}" is not a URL — use e.g. http://localhost:8081`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${where}: "${value}" must be an http:// or https:// URL`);
  return value.replace(/\/+$/, '');
}

/**
 * Which schema registry a command talks to, resolved like the brokers: first hit
 * wins — --registry, KPAT_REGISTRY_URL, `registry` in kpat.config.json, the
 * registry of the stack `kpat up` started.
 */
export async function resolveRegistry(flag: string | undefined, opts: {env?: NodeJS.ProcessEnv; cwd?: string} = {}): Promise<RegistryTarget> {
  const env = opts.env ?? process.env;
  if (flag) return {url: checkedUrl(flag, '--registry'), source: 'flag'};
  if (env.KPAT_REGISTRY_URL) return {url: checkedUrl(env.KPAT_REGISTRY_URL, 'KPAT_REGISTRY_URL'), source: 'env'};
  const file = join(opts.cwd ?? process.cwd(), CONFIG_FILE_NAME);
  if (existsSync(file)) {
    const config = loadConfigFile(await import('./connection-schemas.js'), file);
    if (config.registry) return {url: checkedUrl(config.registry, `registry in ${CONFIG_FILE_NAME}`), source: 'config'};
  }
  const stack = readRunningStack(stackPaths().stateFile);
  if (stack?.registryUrl) return {url: stack.registryUrl, source: 'local-stack'};
  throw new NoRegistryError();
}
