import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/broker.js';
import {runCli, type CliResult} from '../helpers/cli.js';
import {kcat} from '../helpers/kcat.js';

// A SASL_SSL stack started by `kpat up`, used the way the README shows.
const home = tempDir('kpat-secure-home-');
const stackEnv = {KPAT_HOME: home, KPAT_BROKERS: ''};
const asAlice = {...stackEnv, KPAT_SASL_MECHANISM: 'scram-sha-256', KPAT_SASL_USERNAME: 'alice', KPAT_SASL_PASSWORD: 'alice-secret'};
let bootstrap = '';
let ca = '';

const json = (res: CliResult) => res.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  const up = await runCli(['up', '--port', '0', '--tls', '--sasl', 'scram-sha-256,scram-sha-512', '--user', 'alice:alice-secret', '--json'], {env: stackEnv});
  expect(up.code, up.stderr).toBe(0);
  const [report] = json(up) as Array<{bootstrap: string; tls: {ca: string}; sasl: string[]}>;
  bootstrap = report!.bootstrap;
  ca = report!.tls.ca;
}, 90_000);
afterAll(async () => {
  await runCli(['down', '--purge'], {env: stackEnv});
});

describe('kpat up --tls --sasl', () => {
  it('creates the local CA under KPAT_HOME once and reports it in kpat status --output json as tls.ca', async () => {
    expect(ca).toBe(join(home, 'tls', 'ca.pem'));
    expect(readFileSync(ca, 'utf8')).toMatch(/BEGIN CERTIFICATE/);
    const status = await runCli(['status', '--output', 'json'], {env: asAlice});
    expect(status.code, status.stderr).toBe(0);
    const [s] = json(status);
    expect(s).toMatchObject({running: true, tls: {ca}, sasl: ['SCRAM-SHA-256', 'SCRAM-SHA-512'], topics: expect.any(Number)});
  });

  it('kpat produce and consume with --tls-ca and SASL flags reach it; the local stack is found with just the credentials too', async () => {
    const flags = ['--brokers', bootstrap, '--tls-ca', ca, '--sasl-mechanism', 'scram-sha-512', '--sasl-username', 'alice'];
    const produced = await runCli(['produce', 'secure.v1', ...flags], {env: {...stackEnv, KPAT_SASL_PASSWORD: 'alice-secret'}, input: 'one\ntwo\n'});
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await runCli(['consume', 'secure.v1', '--from-beginning', '-e', '--json', ...flags], {env: {...stackEnv, KPAT_SASL_PASSWORD: 'alice-secret'}});
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(json(consumed).map((r) => r.value)).toEqual(['one', 'two']);
    const local = await runCli(['consume', 'secure.v1', '--from-beginning', '-e', '--json'], {env: asAlice});
    expect(json(local).map((r) => r.value)).toEqual(['one', 'two']);
  });

  it('kcat trusts the printed CA with SASL_SSL', async () => {
    const port = bootstrap.split(':')[1];
    const out = await kcat(['-b', `localhost:${port}`, '-X', 'security.protocol=SASL_SSL', '-X', `ssl.ca.location=${ca}`, '-X', 'sasl.mechanisms=SCRAM-SHA-256', '-X', 'sasl.username=alice', '-X', 'sasl.password=alice-secret', '-t', 'secure.v1', '-C', '-e', '-q']);
    expect(out.trim().split('\n')).toEqual(['one', 'two']);
  });

  it('without credentials kpat says the stack needs SASL (exit 2); a plaintext client is refused cleanly (exit 1)', async () => {
    const none = await runCli(['topics'], {env: stackEnv});
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('the local stack requires SASL (SCRAM-SHA-256, SCRAM-SHA-512) — pass --sasl-mechanism scram-sha-256');
    const plaintext = await runCli(['topics', '--brokers', bootstrap], {env: stackEnv});
    expect(plaintext.code).toBe(1);
    expect(plaintext.stderr).toMatch(/closed the connection without answering — if it is a TLS listener, pass --tls/);
  });

  it('kpat users add, list and remove manage SCRAM users; the store keeps no password', async () => {
    const add = await runCli(['users', 'add', 'bob'], {env: {...asAlice, KPAT_USER_PASSWORD: 'bob-secret'}});
    expect(add.code, add.stderr).toBe(0);
    const list = await runCli(['users', 'list', '--json'], {env: asAlice});
    expect(json(list).map((u) => u.user)).toEqual(['alice', 'bob']);
    const bob = await runCli(['topics', '--sasl-mechanism', 'scram-sha-512', '--sasl-username', 'bob'], {env: {...stackEnv, KPAT_SASL_PASSWORD: 'bob-secret'}});
    expect(bob.code, bob.stderr).toBe(0);
    const store = readFileSync(join(home, 'data', 'users.json'), 'utf8');
    expect(store).not.toMatch(/bob-secret|alice-secret/);
    const removed = await runCli(['users', 'remove', 'bob'], {env: asAlice});
    expect(removed.code, removed.stderr).toBe(0);
    const refused = await runCli(['topics', '--sasl-mechanism', 'scram-sha-512', '--sasl-username', 'bob'], {env: {...stackEnv, KPAT_SASL_PASSWORD: 'bob-secret'}});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('SASL authentication failed');
    expect(readFileSync(join(home, 'broker.log'), 'utf8')).not.toMatch(/bob-secret|alice-secret/);
  });

  it('kpat scenario saga runs on the SASL_SSL stack', async () => {
    const res = await runCli(['scenario', 'saga', '--count', '40', '--rate', '80', '--fail', 'inventory', '--output', 'json'], {env: asAlice, timeoutMs: 90_000});
    expect(res.code, res.stderr).toBe(0);
    expect(json(res).at(-1)).toMatchObject({type: 'report', ok: true, counts: {orders: 40, cancelled: 40}});
  });

  it('bad security flags exit 2 naming the fix', async () => {
    const noSasl = await runCli(['up', '--port', '0', '--user', 'alice:x'], {env: {KPAT_HOME: tempDir('kpat-bad-')}});
    expect(noSasl.code).toBe(2);
    expect(noSasl.stderr).toContain('--user needs SASL on the listener — add --sasl scram-sha-256');
    const halfCert = await runCli(['up', '--port', '0', '--tls-cert', 'server.pem'], {env: {KPAT_HOME: tempDir('kpat-bad-')}});
    expect(halfCert.code).toBe(2);
    expect(halfCert.stderr).toContain('--tls-cert and --tls-key go together');
    expect(existsSync(join(home, 'tls', 'ca-key.pem'))).toBe(true);
  });
});
