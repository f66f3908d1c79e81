/**
 * The Confluent Schema Registry REST API's routes: method, path pattern and
 * the registry operation each calls. Path parameters arrive URL-decoded.
 */
import * as E from '../errors.js';
import {parseVersionRef, SUPPORTED_SCHEMA_TYPES, type SchemaRegistry} from '../registry.js';
import {configBody, modeBody, schemaBody} from './bodies.js';

export interface RouteRequest {
  params: string[];
  query: URLSearchParams;
  body: () => Promise<unknown>;
}

type Handler = (registry: SchemaRegistry, req: RouteRequest) => unknown;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: RegExp;
  handle: Handler;
}

const flag = (q: URLSearchParams, name: string) => q.get(name) === 'true';
const seg = '([^/]+)';

function schemaId(text: string): number {
  const id = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id)) throw E.schemaNotFound(`Schema ${text} not found`);
  return id;
}

const route = (method: Route['method'], path: string, handle: Handler): Route => ({method, pattern: new RegExp(`^${path}/?$`), handle});

export const ROUTES: Route[] = [
  route('GET', '', () => ({})),
  route('GET', '/schemas/types', () => [...SUPPORTED_SCHEMA_TYPES]),
  route('GET', `/schemas/ids/${seg}`, (r, {params}) => r.schemaById(schemaId(params[0]!))),
  route('GET', `/schemas/ids/${seg}/schema`, (r, {params}) => JSON.parse(r.schemaById(schemaId(params[0]!)).schema)),
  route('GET', `/schemas/ids/${seg}/versions`, (r, {params, query}) => r.subjectVersionsOfId(schemaId(params[0]!), {deleted: flag(query, 'deleted')})),
  route('GET', '/subjects', (r, {query}) => r.subjects({deleted: flag(query, 'deleted')})),
  route('POST', `/subjects/${seg}`, async (r, {params, body, query}) => {
    const b = schemaBody(await body());
    return r.lookup(params[0]!, b.schema, {schemaType: b.schemaType, deleted: flag(query, 'deleted')});
  }),
  route('DELETE', `/subjects/${seg}`, (r, {params, query}) => r.deleteSubject(params[0]!, {permanent: flag(query, 'permanent')})),
  route('GET', `/subjects/${seg}/versions`, (r, {params, query}) => r.versions(params[0]!, {deleted: flag(query, 'deleted')})),
  route('POST', `/subjects/${seg}/versions`, async (r, {params, body}) => {
    const b = schemaBody(await body());
    return r.register(params[0]!, b.schema, {schemaType: b.schemaType});
  }),
  route('GET', `/subjects/${seg}/versions/${seg}`, (r, {params, query}) => r.version(params[0]!, parseVersionRef(params[1]!), {deleted: flag(query, 'deleted')})),
  route('GET', `/subjects/${seg}/versions/${seg}/schema`, (r, {params, query}) =>
    JSON.parse(r.version(params[0]!, parseVersionRef(params[1]!), {deleted: flag(query, 'deleted')}).schema),
  ),
  route('GET', `/subjects/${seg}/versions/${seg}/referencedby`, (r, {params}) => (r.version(params[0]!, parseVersionRef(params[1]!)), [])),
  route('DELETE', `/subjects/${seg}/versions/${seg}`, (r, {params, query}) => r.deleteVersion(params[0]!, parseVersionRef(params[1]!), {permanent: flag(query, 'permanent')})),
  route('POST', `/compatibility/subjects/${seg}/versions`, (r, req) => compatibility(r, req, undefined)),
  route('POST', `/compatibility/subjects/${seg}/versions/${seg}`, (r, req) => compatibility(r, req, req.params[1])),
  route('GET', '/config', (r) => r.config(null)),
  route('PUT', '/config', async (r, {body}) => r.setConfig(null, configBody(await body()).compatibility)),
  route('DELETE', '/config', (r) => r.deleteConfig(null)),
  route('GET', `/config/${seg}`, (r, {params, query}) => r.config(params[0]!, {defaultToGlobal: flag(query, 'defaultToGlobal')})),
  route('PUT', `/config/${seg}`, async (r, {params, body}) => r.setConfig(params[0]!, configBody(await body()).compatibility)),
  route('DELETE', `/config/${seg}`, (r, {params}) => r.deleteConfig(params[0]!)),
  // Only READWRITE: no imports, no read-only replicas.
  route('GET', '/mode', () => ({mode: 'READWRITE'})),
  route('GET', `/mode/${seg}`, () => ({mode: 'READWRITE'})),
  route('PUT', '/mode', async (_r, {body}) => setMode(modeBody(await body()).mode)),
  route('PUT', `/mode/${seg}`, async (_r, {body}) => setMode(modeBody(await body()).mode)),
];

function setMode(mode: string): {mode: string} {
  if (mode !== 'READWRITE') throw new E.RegistryError(422, 42204, `Invalid mode '${mode}': this registry runs in READWRITE mode only`);
  return {mode};
}

async function compatibility(r: SchemaRegistry, {params, query, body}: RouteRequest, version: string | undefined) {
  const ref = version === undefined ? undefined : parseVersionRef(version);
  const b = schemaBody(await body());
  const verdict = r.checkCompatibility(params[0]!, ref, b.schema, {schemaType: b.schemaType});
  return flag(query, 'verbose') ? {is_compatible: verdict.compatible, messages: verdict.messages} : {is_compatible: verdict.compatible};
}
