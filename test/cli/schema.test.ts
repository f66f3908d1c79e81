import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {startTestRegistry} from '../helpers/registry.js';
import type {HostedRegistry} from '../../src/stack/registry-host.js';

const json = (s: string) => s.trim().split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);
const files = tempDir('kpat-avsc-');
const user = (name: string, ...extra: unknown[]) => {
  const path = join(files, `${name}.avsc`);
  writeFileSync(path, JSON.stringify({type: 'record', name: 'User', namespace: 'app', fields: [{name: 'id', type: 'string'}, ...extra]}, null, 2));
  return path;
};
const v1 = user('v1');
const v2 = user('v2', {name: 'email', type: 'string', default: ''});
// Reads v2 data (email is there) but not v1 data (email missing, no default).
const v3 = user('v3', {name: 'email', type: 'string'});
const broken = user('broken', {name: 'email', type: 'string', default: ''}, {name: 'age', type: 'long'}, {name: 'vip', type: 'boolean'});

describe('kpat schema against the registry kpat up starts', () => {
  const home = tempDir('kpat-schema-cli-');
  const env = {KPAT_HOME: home, KPAT_BROKERS: '', KPAT_REGISTRY_URL: ''};
  let registryUrl = '';

  beforeAll(async () => {
    const up = await runCli(['up', '--port', '0', '--json'], {env});
    expect(up.code).toBe(0);
    registryUrl = json(up.stdout)[0]!.registry as string;
    expect(registryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  }, 60_000);
  afterAll(async () => {
    await runCli(['down', '--purge'], {env});
  }, 60_000);

  it('kpat status shows the registry URL, as text and as json', async () => {
    expect(json((await runCli(['status', '--json'], {env})).stdout)[0]).toMatchObject({running: true, registry: registryUrl});
    expect((await runCli(['status'], {env})).stdout).toContain(`registry   ${registryUrl}`);
  });

  it('registers versions, answering the same id and version for a schema already there', async () => {
    const first = json((await runCli(['schema', 'register', 'users-value', v1, '--json'], {env})).stdout)[0];
    expect(first).toEqual({type: 'registered', subject: 'users-value', id: 1, version: 1, created: true});
    expect((await runCli(['schema', 'register', 'users-value', v2], {env})).stdout).toMatch(/registered users-value version 2 \(id 2\)/);
    const again = json((await runCli(['schema', 'register', 'users-value', v2, '--json'], {env})).stdout)[0];
    expect(again).toEqual({type: 'registered', subject: 'users-value', id: 2, version: 2, created: false});
    const list = json((await runCli(['schema', 'list', '--json'], {env})).stdout);
    expect(list).toEqual([{type: 'subject', subject: 'users-value', versions: [1, 2], latest: {version: 2, id: 2}, compatibility: 'BACKWARD'}]);
    const shown = json((await runCli(['schema', 'show', 'users-value', '--version', '1', '--json'], {env})).stdout)[0];
    expect(shown).toMatchObject({subject: 'users-value', version: 1, id: 1, schema: {name: 'User', fields: [{name: 'id', type: 'string'}]}});
  });

  it('check lists every violation with its fix and the rollout order, and exits 1; a compatible schema exits 0', async () => {
    const bad = await runCli(['schema', 'check', 'users-value', broken], {env});
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/NOT compatible under BACKWARD/);
    expect(bad.stdout).toMatch(/READER_FIELD_MISSING_DEFAULT_VALUE age \[\/fields\/2\].*give the field a default/);
    expect(bad.stdout).toMatch(/READER_FIELD_MISSING_DEFAULT_VALUE vip \[\/fields\/3\]/);
    expect(bad.stdout).toMatch(/rollout: upgrade consumers first/);
    const asJson = json((await runCli(['schema', 'check', 'users-value', broken, '--mode', 'FORWARD', '--json'], {env})).stdout)[0]!;
    expect(asJson).toMatchObject({type: 'compatibility', compatible: true, level: 'FORWARD', levelSource: 'flag', checked: [2]});
    expect(asJson.upgradeOrder).toMatch(/producers first/);
    const refused = await runCli(['schema', 'register', 'users-value', broken], {env});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/incompatible.*kpat schema check/s);
  });

  it('a missing or invalid schema file, or a bad version, exits 2 naming it', async () => {
    const missing = await runCli(['schema', 'check', 'users-value', join(files, 'nope.avsc')], {env});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.avsc \(no such file\)/);
    const invalidPath = join(files, 'invalid.avsc');
    writeFileSync(invalidPath, '{"type": "record", "name": "X"}');
    const invalid = await runCli(['schema', 'register', 'users-value', invalidPath], {env});
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/invalid\.avsc is not a valid Avro schema/);
    const version = await runCli(['schema', 'diff', 'users-value', '1', 'newest'], {env});
    expect(version.code).toBe(2);
    expect(version.stderr).toMatch(/V2 must be a version number/);
  });

  it('diff shows field by field changes; matrix marks the transitive break a step-by-step chain hides', async () => {
    expect((await runCli(['schema', 'register', 'users-value', v3], {env})).code).toBe(0);
    const diff = json((await runCli(['schema', 'diff', 'users-value', '1', 'latest', '--json'], {env})).stdout);
    expect(diff).toEqual([
      {type: 'change', kind: 'field-added', field: 'email', to: 'string (no default)'},
      {type: 'diff', subject: 'users-value', from: {version: 1, id: 1}, to: {version: 3, id: 3}, changes: 1},
    ]);
    const plainDiff = await runCli(['schema', 'diff', 'users-value', '2', '3'], {env});
    expect(plainDiff.stdout).toMatch(/email\s+default-changed\s+""\s+\(none\)/);

    const matrix = json((await runCli(['schema', 'matrix', 'users-value', '--json'], {env})).stdout);
    expect(matrix.at(-1)).toEqual({type: 'matrix', subject: 'users-value', versions: [1, 2, 3], transitiveBreaks: [{reader: 3, writer: 1}]});
    expect(matrix.find((c) => c.reader === 3 && c.writer === 2)).toMatchObject({compatible: true});
    const grid = (await runCli(['schema', 'matrix', 'users-value'], {env})).stdout;
    expect(grid).toMatch(/v3\s+✗1!\s+ok\s+·/);
    expect(grid).toMatch(/v3 cannot read v1 data, though each version between reads its neighbour/);
  });

  it('keeps the registry across kpat down and up; down --purge clears it', async () => {
    expect((await runCli(['down'], {env})).code).toBe(0);
    await expect(fetch(`${registryUrl}/subjects`)).rejects.toThrow();
    const up = await runCli(['up', '--port', '0', '--json'], {env});
    expect(up.code).toBe(0);
    expect(json((await runCli(['schema', 'list', '--json'], {env})).stdout)).toMatchObject([{subject: 'users-value', versions: [1, 2, 3]}]);
    expect((await runCli(['down', '--purge'], {env})).code).toBe(0);
    expect((await runCli(['up', '--port', '0'], {env})).code).toBe(0);
    expect((await runCli(['schema', 'list'], {env})).stdout).toMatch(/no subjects yet/);
  }, 60_000);
});

describe('which registry kpat schema talks to', () => {
  const emptyHome = tempDir('kpat-schema-none-');
  const env = {KPAT_HOME: emptyHome, KPAT_BROKERS: '', KPAT_REGISTRY_URL: ''};
  let broker: TestBroker;
  let registry: HostedRegistry;
  beforeAll(async () => {
    broker = await startTestBroker();
    registry = await startTestRegistry(broker);
    await fetch(`${registry.url}/subjects/found-value/versions`, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({schema: '"string"'})});
  });
  afterAll(async () => {
    await registry.close();
    await broker.stop();
  });

  it('none anywhere exits 1 naming kpat up and --registry; a bad URL exits 2', async () => {
    const none = await runCli(['schema', 'list'], {env});
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no schema registry configured.*kpat up.*--registry/);
    const bad = await runCli(['schema', 'list', '--registry', 'localhost 8081'], {env});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--registry: "localhost 8081" is not a URL/);
    const down = await runCli(['schema', 'list', '--registry', 'http://127.0.0.1:1'], {env});
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/no schema registry at http:\/\/127\.0\.0\.1:1/);
  });

  it('finds it by --registry, KPAT_REGISTRY_URL and kpat.config.json, in that order', async () => {
    const cwd = join(emptyHome, 'project');
    mkdirSync(cwd, {recursive: true});
    writeFileSync(join(cwd, 'kpat.config.json'), JSON.stringify({registry: registry.url}));
    const fromFile = await runCli(['schema', 'list', '--json'], {env, cwd});
    expect(json(fromFile.stdout)).toMatchObject([{subject: 'found-value'}]);
    const envWins = await runCli(['schema', 'list'], {env: {...env, KPAT_REGISTRY_URL: 'http://127.0.0.1:1'}, cwd});
    expect(envWins.stderr).toMatch(/no schema registry at http:\/\/127\.0\.0\.1:1/);
    const flagWins = await runCli(['schema', 'list', '--json', '--registry', registry.url], {env: {...env, KPAT_REGISTRY_URL: 'http://127.0.0.1:1'}, cwd});
    expect(json(flagWins.stdout)).toMatchObject([{subject: 'found-value'}]);
    writeFileSync(join(cwd, 'kpat.config.json'), JSON.stringify({registry: 'ftp://x'}));
    const badFile = await runCli(['schema', 'list'], {env, cwd});
    expect(badFile.code).toBe(2);
    expect(badFile.stderr).toMatch(/kpat\.config\.json: registry/);
  });
});
