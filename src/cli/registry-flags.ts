import {Flags} from '@oclif/core';
import {ConfigError} from '../core/errors.js';
import type {RegistryClient} from '../kafka/registry-client.js';
import type {RegistryTarget} from '../kafka/registry-connection.js';

/** For commands that talk to a schema registry; spread into a command's `flags`. */
export const registryFlags = {
  registry: Flags.string({
    summary: 'Schema registry URL, e.g. http://localhost:8081. Default: KPAT_REGISTRY_URL, `registry` in kpat.config.json, then the stack from `kpat up`.',
    helpGroup: 'CONNECTION',
  }),
};

/** The registry client for --registry, the environment, kpat.config.json or the local stack (loaded only by the commands that need it). */
export async function registryClientFor(flags: {registry?: string}): Promise<RegistryClient> {
  const [{resolveRegistry}, {RegistryClient}] = await Promise.all([import('../kafka/registry-connection.js'), import('../kafka/registry-client.js')]);
  return new RegistryClient(await resolveRegistry(flags.registry));
}

/**
 * The registry for --registry, the environment, kpat.config.json or the local
 * stack; when none is configured, the one `fallback` starts for this run (beside
 * a scenario's embedded broker), if any.
 */
export async function registryTargetFor(flags: {registry?: string}, fallback?: () => Promise<string>): Promise<RegistryTarget> {
  const {resolveRegistry, NoRegistryError} = await import('../kafka/registry-connection.js');
  try {
    return await resolveRegistry(flags.registry);
  } catch (error) {
    if (!fallback || !(error instanceof NoRegistryError)) throw error;
    return {url: await fallback(), source: 'embedded'};
  }
}

/** A version as the commands take it: a number from 1, or latest. */
export function parseVersionArg(text: string, name: string): number | 'latest' {
  if (text === 'latest') return 'latest';
  if (/^[1-9]\d*$/.test(text) && Number(text) <= 2 ** 31 - 1) return Number(text);
  throw new ConfigError(`${name} must be a version number (1, 2 …) or latest, got "${text}"`);
}
