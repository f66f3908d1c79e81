import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ConfigError} from '../core/errors.js';
import {resolveConnection} from './connection.js';

// kpat.config.json names TLS files by path (as flags do); the connection carries their PEM text.

let dir: string;
let cwd: string;
let certPem: string;
let keyPem: string;
const env = {KPAT_HOME: '/nonexistent'};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kpat-tls-'));
  cwd = join(dir, 'project');
  mkdirSync(join(cwd, 'certs'), {recursive: true});
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(cwd, 'certs', 'client.key'), '-out', join(cwd, 'certs', 'ca.pem')], {stdio: 'ignore'});
  certPem = readFileSync(join(cwd, 'certs', 'ca.pem'), 'utf8');
  keyPem = readFileSync(join(cwd, 'certs', 'client.key'), 'utf8');
  expect(certPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const writeConfig = (config: object) => writeFileSync(join(cwd, 'kpat.config.json'), JSON.stringify(config));
const resolveIn = (flags = {}) => resolveConnection(flags, {env, cwd});

describe('TLS files in kpat.config.json', () => {
  it('reads ca, cert and key from the files they name (absolute, or relative to the config file)', async () => {
    writeConfig({brokers: 'kafka:9093', tls: {ca: join(cwd, 'certs', 'ca.pem'), cert: 'certs/ca.pem', key: './certs/client.key'}});
    const conn = (await resolveIn())!;
    expect(conn.source).toBe('config');
    expect(conn.tls).toEqual({enabled: true, ca: certPem, cert: certPem, key: keyPem, rejectUnauthorized: true});
  });

  it('a missing file is a config error naming the key and the path', async () => {
    writeConfig({brokers: 'kafka:9093', tls: {ca: 'certs/missing-ca.pem'}});
    await expect(resolveIn()).rejects.toThrow(ConfigError);
    await expect(resolveIn()).rejects.toThrow(`cannot read tls.ca in kpat.config.json file ${join(cwd, 'certs', 'missing-ca.pem')} (no such file)`);
  });

  it('PEM text where a path belongs is a config error that says to give a path', async () => {
    writeConfig({brokers: 'kafka:9093', tls: {key: keyPem}});
    await expect(resolveIn()).rejects.toThrow('tls.key in kpat.config.json must be the path of a PEM file, not the PEM text');
  });

  it('tls: true, or tls without files, connects with TLS and the system CAs', async () => {
    writeConfig({brokers: 'kafka:9093', tls: true});
    expect((await resolveIn())!.tls).toEqual({enabled: true, rejectUnauthorized: true});
    writeConfig({brokers: 'kafka:9093', tls: {rejectUnauthorized: false}});
    expect((await resolveIn())!.tls).toEqual({enabled: true, rejectUnauthorized: false});
    writeConfig({brokers: 'kafka:9093', tls: {enabled: false, ca: 'certs/missing.pem'}});
    expect((await resolveIn())!.tls).toBeUndefined();
  });
});

describe('TLS flags', () => {
  it('read the files they name, the same way', async () => {
    writeConfig({});
    const conn = (await resolveIn({brokers: 'kafka:9093', tlsCa: 'certs/ca.pem', tlsCert: join(cwd, 'certs', 'ca.pem'), tlsKey: 'certs/client.key', tlsInsecure: true}))!;
    expect(conn.tls).toEqual({enabled: true, ca: certPem, cert: certPem, key: keyPem, rejectUnauthorized: false});
  });

  it('a missing file is a config error naming the flag and the path', async () => {
    writeConfig({});
    await expect(resolveIn({brokers: 'kafka:9093', tlsCert: 'nope.pem'})).rejects.toThrow(`cannot read --tls-cert file ${join(cwd, 'nope.pem')} (no such file) — fix the path in --tls-cert`);
  });
});
