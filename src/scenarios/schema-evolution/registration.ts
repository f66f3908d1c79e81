import {RegistryRequestError, type RegistryClient} from '../../kafka/registry-client.js';
import type {NamedViolation} from './events.js';

export type RegistrationOutcome = {outcome: 'accepted'; id: number; registryVersion: number; violations: []} | {outcome: 'refused'; violations: NamedViolation[]; message: string};

/**
 * Each violation in a registry's message: `{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'…', …}`
 * as kpat's registry and Confluent's (7.2 on) phrase them, or `Incompatibility{type:TYPE_MISMATCH, …}` as Confluent 7.1 did.
 */
const VIOLATION = /\{errorType:'([A-Z_]+)'[^}]*\}|Incompatibility\{type:([A-Z_]+)[^}]*\}/g;

export function violationsIn(messages: readonly string[]): NamedViolation[] {
  const out: NamedViolation[] = [];
  for (const text of messages) for (const m of text.matchAll(VIOLATION)) out.push({kind: (m[1] ?? m[2])!, message: m[0]});
  return out;
}

/**
 * Registers a schema under the subject's current level, as any producer's
 * serializer would. A refusal (HTTP 409) is an answer, not an error: its
 * violations come from the 409 itself and, for their full wording, from the
 * registry's verbose compatibility check of the same candidate.
 */
export async function tryRegister(client: RegistryClient, subject: string, schema: string): Promise<RegistrationOutcome> {
  try {
    const {id} = await client.register(subject, schema);
    const registered = await client.lookup(subject, schema);
    return {outcome: 'accepted', id, registryVersion: registered.version, violations: []};
  } catch (error) {
    if (!(error instanceof RegistryRequestError) || error.status !== 409) throw error;
    let verbose: string[] = [];
    try {
      verbose = (await client.checkCandidate(subject, schema)).messages ?? [];
    } catch {
      // A registry without the subject-wide verbose check: the 409's own details stay.
    }
    const found = violationsIn(verbose);
    return {outcome: 'refused', violations: found.length > 0 ? found : violationsIn([error.message]), message: error.message};
  }
}
