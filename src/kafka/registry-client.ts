/**
 * A client of the Confluent Schema Registry REST API (kpat's embedded one or
 * any other): plain fetch, since the commands need the listing, config and
 * deleted-version calls @kafkajs/confluent-schema-registry does not expose.
 * Errors name the problem and the fix.
 */
import {OperationError} from '../core/errors.js';
import type {RegistryTarget} from './registry-connection.js';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export interface SubjectVersion {
  subject: string;
  version: number;
  id: number;
  schema: string;
}

/** An error answer of the registry: its error_code (40401 …) and message. */
export class RegistryRequestError extends OperationError {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

const HINTS: Record<number, string> = {
  40401: '`kpat schema list` lists the subjects',
  40402: '`kpat schema list` shows the versions',
  40403: 'register it first with `kpat schema register`',
  409: '`kpat schema check SUBJECT FILE` explains every violation',
};

export class RegistryClient {
  constructor(readonly target: RegistryTarget) {}

  subjects(): Promise<string[]> {
    return this.request('GET', '/subjects');
  }

  versions(subject: string): Promise<number[]> {
    return this.request('GET', `/subjects/${enc(subject)}/versions`);
  }

  version(subject: string, version: number | 'latest'): Promise<SubjectVersion> {
    return this.request('GET', `/subjects/${enc(subject)}/versions/${version}`);
  }

  /** Every live version of a subject, oldest first; [] when the subject has none. */
  async history(subject: string): Promise<SubjectVersion[]> {
    let versions: number[];
    try {
      versions = await this.versions(subject);
    } catch (error) {
      if (error instanceof RegistryRequestError && error.errorCode === 40401) return [];
      throw error;
    }
    return Promise.all(versions.map((v) => this.version(subject, v)));
  }

  /** The subject's compatibility level, or the global one when it has none of its own. */
  async compatibility(subject: string): Promise<string> {
    const r = await this.request<{compatibilityLevel: string}>('GET', `/config/${enc(subject)}?defaultToGlobal=true`);
    return r.compatibilityLevel;
  }

  /** The schema text behind an id, or null when the registry has no such id. */
  async schemaText(id: number): Promise<string | null> {
    try {
      return (await this.request<{schema: string}>('GET', `/schemas/ids/${id}`)).schema;
    } catch (error) {
      if (error instanceof RegistryRequestError && error.errorCode === 40403) return null;
      throw error;
    }
  }

  register(subject: string, schema: string): Promise<{id: number}> {
    return this.request('POST', `/subjects/${enc(subject)}/versions`, {schema, schemaType: 'AVRO'});
  }

  /** Sets the subject's own compatibility level (PUT /config/{subject}); a subject need not exist yet. */
  setCompatibility(subject: string, level: string): Promise<{compatibility: string}> {
    return this.request('PUT', `/config/${enc(subject)}`, {compatibility: level});
  }

  /** Checks a candidate against the subject as registering it would (its level, all the versions that covers), with every violation's message. */
  checkCandidate(subject: string, schema: string): Promise<{is_compatible: boolean; messages?: string[]}> {
    return this.request('POST', `/compatibility/subjects/${enc(subject)}/versions?verbose=true`, {schema, schemaType: 'AVRO'});
  }

  lookup(subject: string, schema: string): Promise<SubjectVersion> {
    return this.request('POST', `/subjects/${enc(subject)}`, {schema, schemaType: 'AVRO'});
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const {url} = this.target;
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, {
        method,
        headers: {Accept: CONTENT_TYPE, ...(body === undefined ? {} : {'Content-Type': CONTENT_TYPE})},
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      const cause = (error as {cause?: {code?: string}}).cause?.code ?? (error as Error).message;
      throw new OperationError(`no schema registry at ${url} (${cause}) — run \`kpat up\` or pass --registry`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      throw new OperationError(`${url} answered ${method} ${path} with ${res.status} and no JSON — is it a schema registry?`);
    }
    if (res.ok) return parsed as T;
    const {error_code: code = res.status, message = text} = (parsed ?? {}) as {error_code?: number; message?: string};
    const hint = HINTS[code];
    throw new RegistryRequestError(res.status, code, `schema registry: ${message} (error ${code})${hint ? ` — ${hint}` : ''}`);
  }
}

const enc = (subject: string) => encodeURIComponent(subject);
