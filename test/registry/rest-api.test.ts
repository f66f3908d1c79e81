import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {call, REGISTRY_JSON, startTestRegistry} from '../helpers/registry.js';
import type {HostedRegistry} from '../../src/stack/registry-host.js';

// Confluent Schema Registry's REST API over real HTTP, its store the broker's _schemas topic.
let broker: TestBroker;
let registry: HostedRegistry;
const api = (method: string, path: string, body?: unknown, contentType?: string) => call(registry.url, method, path, body, contentType);
const user = (...extra: unknown[]) => JSON.stringify({type: 'record', name: 'User', namespace: 'app', fields: [{name: 'id', type: 'string'}, ...extra]});
const withEmail = user({name: 'email', type: 'string', default: ''});
const withAge = user({name: 'age', type: 'int', default: 0});
const errorOf = (r: {status: number; body: unknown}) => ({status: r.status, code: (r.body as {error_code: number}).error_code});

beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startTestRegistry(broker);
});
afterAll(async () => {
  await registry.close();
  await broker.stop();
});

describe('schema registry REST API', () => {
  it('registers a schema, answering {id} in the registry content type; the same schema again gets the same id and no new version', async () => {
    const first = await api('POST', '/subjects/users-value/versions', {schema: user()});
    expect(first).toMatchObject({status: 200, contentType: REGISTRY_JSON, body: {id: expect.any(Number)}});
    // Whitespace does not make another schema.
    const again = await api('POST', '/subjects/users-value/versions', {schema: JSON.stringify(JSON.parse(user()), null, 2)}, 'application/json');
    expect(again.body).toEqual(first.body);
    expect((await api('GET', '/subjects/users-value/versions')).body).toEqual([1]);
  });

  it('gives one schema one global id across subjects, and lists which subject versions hold it', async () => {
    const a = (await api('POST', '/subjects/shared-a/versions', {schema: withAge})).body as {id: number};
    const b = (await api('POST', '/subjects/shared-b/versions', {schema: withAge})).body as {id: number};
    expect(b.id).toBe(a.id);
    expect((await api('GET', `/schemas/ids/${a.id}`)).body).toEqual({schema: JSON.stringify(JSON.parse(withAge))});
    expect((await api('GET', `/schemas/ids/${a.id}/versions`)).body).toEqual([
      {subject: 'shared-a', version: 1},
      {subject: 'shared-b', version: 1},
    ]);
    const other = (await api('POST', '/subjects/shared-b/versions', {schema: user({name: 'age', type: 'int', default: 1})})).body as {id: number};
    expect(other.id).toBeGreaterThan(a.id);
  });

  it('serves versions by number and latest, their raw schema, and lookups by schema', async () => {
    await api('POST', '/subjects/v-value/versions', {schema: user()});
    const {id} = (await api('POST', '/subjects/v-value/versions', {schema: withEmail})).body as {id: number};
    expect((await api('GET', '/subjects/v-value/versions/latest')).body).toEqual({subject: 'v-value', version: 2, id, schema: JSON.stringify(JSON.parse(withEmail))});
    expect((await api('GET', '/subjects/v-value/versions/2')).body).toMatchObject({version: 2, id});
    expect((await api('GET', '/subjects/v-value/versions/1/schema')).body).toEqual(JSON.parse(user()));
    expect((await api('POST', '/subjects/v-value', {schema: withEmail})).body).toEqual({subject: 'v-value', version: 2, id, schema: JSON.stringify(JSON.parse(withEmail))});
    expect((await api('GET', '/subjects')).body).toEqual(expect.arrayContaining(['users-value', 'v-value']));
    expect((await api('GET', '/schemas/types')).body).toEqual(['AVRO']);
    expect((await api('GET', '/mode')).body).toEqual({mode: 'READWRITE'});
  });

  it('soft-deletes a version, then permanently; a subject too, listing it only with ?deleted=true', async () => {
    for (const s of [user(), withEmail, user({name: 'email', type: 'string', default: ''}, {name: 'n', type: 'int', default: 0})]) await api('POST', '/subjects/del-value/versions', {schema: s});
    expect((await api('DELETE', '/subjects/del-value/versions/2')).body).toBe(2);
    expect((await api('GET', '/subjects/del-value/versions')).body).toEqual([1, 3]);
    expect((await api('GET', '/subjects/del-value/versions?deleted=true')).body).toEqual([1, 2, 3]);
    expect((await api('GET', '/subjects/del-value/versions/2?deleted=true')).body).toMatchObject({version: 2});
    expect(errorOf(await api('GET', '/subjects/del-value/versions/2'))).toEqual({status: 404, code: 40402});
    expect((await api('DELETE', '/subjects/del-value/versions/2?permanent=true')).body).toBe(2);
    expect((await api('GET', '/subjects/del-value/versions?deleted=true')).body).toEqual([1, 3]);

    expect((await api('DELETE', '/subjects/del-value')).body).toEqual([1, 3]);
    expect((await api('GET', '/subjects')).body).not.toContain('del-value');
    expect((await api('GET', '/subjects?deleted=true')).body).toContain('del-value');
    expect((await api('DELETE', '/subjects/del-value?permanent=true')).body).toEqual([1, 3]);
    expect((await api('GET', '/subjects?deleted=true')).body).not.toContain('del-value');
  });

  it('keeps compatibility per subject and globally; defaultToGlobal falls back; DELETE removes the subject level', async () => {
    expect((await api('GET', '/config')).body).toEqual({compatibilityLevel: 'BACKWARD'});
    await api('POST', '/subjects/cfg-value/versions', {schema: user()});
    expect(errorOf(await api('GET', '/config/cfg-value'))).toEqual({status: 404, code: 40408});
    expect((await api('GET', '/config/cfg-value?defaultToGlobal=true')).body).toEqual({compatibilityLevel: 'BACKWARD'});
    expect((await api('PUT', '/config/cfg-value', {compatibility: 'FULL_TRANSITIVE'})).body).toEqual({compatibility: 'FULL_TRANSITIVE'});
    expect((await api('GET', '/config/cfg-value')).body).toEqual({compatibilityLevel: 'FULL_TRANSITIVE'});
    expect((await api('DELETE', '/config/cfg-value')).body).toEqual({compatibilityLevel: 'FULL_TRANSITIVE'});
    expect(errorOf(await api('GET', '/config/cfg-value'))).toEqual({status: 404, code: 40408});

    expect((await api('PUT', '/config', {compatibility: 'NONE'})).body).toEqual({compatibility: 'NONE'});
    expect((await api('GET', '/config/cfg-value?defaultToGlobal=true')).body).toEqual({compatibilityLevel: 'NONE'});
    // NONE lets an incompatible schema in.
    expect((await api('POST', '/subjects/cfg-value/versions', {schema: user({name: 'must', type: 'int'})})).status).toBe(200);
    expect((await api('DELETE', '/config')).body).toEqual({compatibilityLevel: 'NONE'});
    expect((await api('GET', '/config')).body).toEqual({compatibilityLevel: 'BACKWARD'});
  });

  it('refuses an incompatible schema with 409 and says why; the compatibility endpoint answers verbosely', async () => {
    await api('POST', '/subjects/compat-value/versions', {schema: user()});
    const broken = user({name: 'email', type: 'string'});
    const refused = await api('POST', '/subjects/compat-value/versions', {schema: broken});
    expect(errorOf(refused)).toEqual({status: 409, code: 409});
    expect((refused.body as {message: string}).message).toMatch(/^Schema being registered is incompatible with an earlier schema for subject "compat-value" \(BACKWARD\), details: \[.*READER_FIELD_MISSING_DEFAULT_VALUE.*email/);
    expect((await api('POST', '/compatibility/subjects/compat-value/versions/latest', {schema: broken})).body).toEqual({is_compatible: false});
    const verbose = (await api('POST', '/compatibility/subjects/compat-value/versions/1?verbose=true', {schema: broken})).body as {is_compatible: boolean; messages: string[]};
    expect(verbose.is_compatible).toBe(false);
    expect(verbose.messages).toEqual([expect.stringMatching(/^\{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'.*'email'.*path \/fields\/1/)]);
    expect((await api('POST', '/compatibility/subjects/compat-value/versions?verbose=true', {schema: withEmail})).body).toEqual({is_compatible: true, messages: []});
  });

  it('a transitive level sees the break a step-by-step chain hides', async () => {
    await api('PUT', '/config/chain-value', {compatibility: 'BACKWARD_TRANSITIVE'});
    await api('POST', '/subjects/chain-value/versions', {schema: user()});
    await api('POST', '/subjects/chain-value/versions', {schema: withEmail});
    const v3 = user({name: 'email', type: 'string'});
    expect((await api('POST', '/compatibility/subjects/chain-value/versions/latest', {schema: v3})).body).toEqual({is_compatible: true});
    const all = (await api('POST', '/compatibility/subjects/chain-value/versions?verbose=true', {schema: v3})).body as {is_compatible: boolean; messages: string[]};
    expect(all.is_compatible).toBe(false);
    expect(all.messages).toEqual([expect.stringContaining('version 1')]);
    expect(errorOf(await api('POST', '/subjects/chain-value/versions', {schema: v3}))).toEqual({status: 409, code: 409});
  });

  it('answers every documented error code', async () => {
    await api('POST', '/subjects/err-value/versions', {schema: user()});
    await api('POST', '/subjects/err-value/versions', {schema: withEmail});
    expect(errorOf(await api('GET', '/subjects/nope/versions'))).toEqual({status: 404, code: 40401});
    expect(errorOf(await api('GET', '/subjects/err-value/versions/9'))).toEqual({status: 404, code: 40402});
    expect(errorOf(await api('GET', '/schemas/ids/9999'))).toEqual({status: 404, code: 40403});
    expect(errorOf(await api('POST', '/subjects/err-value', {schema: user({name: 'x', type: 'int', default: 1})}))).toEqual({status: 404, code: 40403});
    expect(errorOf(await api('POST', '/subjects/nope', {schema: user()}))).toEqual({status: 404, code: 40401});
    expect(errorOf(await api('DELETE', '/subjects/err-value?permanent=true'))).toEqual({status: 404, code: 40405});
    expect(errorOf(await api('DELETE', '/subjects/err-value/versions/1?permanent=true'))).toEqual({status: 404, code: 40407});
    await api('DELETE', '/subjects/err-value/versions/1');
    expect(errorOf(await api('DELETE', '/subjects/err-value/versions/1'))).toEqual({status: 404, code: 40406});
    await api('DELETE', '/subjects/err-value');
    expect(errorOf(await api('DELETE', '/subjects/err-value'))).toEqual({status: 404, code: 40404});
    expect(errorOf(await api('GET', '/config/err-value'))).toEqual({status: 404, code: 40408});
    expect(errorOf(await api('POST', '/subjects/bad/versions', {schema: '{"type": "record", "name": "X"}'}))).toEqual({status: 422, code: 42201});
    expect(errorOf(await api('POST', '/subjects/bad/versions', {schema: 'not json'}))).toEqual({status: 422, code: 42201});
    expect(errorOf(await api('POST', '/subjects/bad/versions', {schema: user(), schemaType: 'PROTOBUF'}))).toEqual({status: 422, code: 42201});
    expect(errorOf(await api('POST', '/subjects/bad/versions', {}))).toEqual({status: 422, code: 42201});
    expect(errorOf(await api('GET', '/subjects/v-value/versions/zero'))).toEqual({status: 422, code: 42202});
    expect(errorOf(await api('GET', '/subjects/v-value/versions/0'))).toEqual({status: 422, code: 42202});
    expect(errorOf(await api('PUT', '/config', {compatibility: 'SIDEWAYS'}))).toEqual({status: 422, code: 42203});
    expect(errorOf(await api('GET', '/no/such/route'))).toEqual({status: 404, code: 404});
    expect(errorOf(await api('POST', '/subjects/x/versions', {schema: user()}, 'text/plain'))).toEqual({status: 415, code: 415});
  });

  it('answers 50001 when its store cannot take a write', async () => {
    const lonely = await startTestBroker();
    const cut = await startTestRegistry(lonely);
    await lonely.stop();
    const res = await call(cut.url, 'POST', '/subjects/s/versions', {schema: user()});
    expect(errorOf(res)).toEqual({status: 500, code: 50001});
    await cut.close();
  });
});
