import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {Kafka, logLevel, type SASLOptions} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {MetadataRequestSchema, MetadataResponseSchema} from '../../src/broker/protocol/messages/metadata.js';
import {CREDENTIALS_FILE} from '../../src/broker/security/credentials.js';
import {BrokerWire} from '../../src/stack/broker-wire.js';
import {kcat} from '../helpers/kcat.js';
import {pythonSaslRoundTrip} from '../helpers/python-sasl.js';
import {startSecureTestBroker, testTlsFiles, type SecureTestBroker} from '../helpers/secure-broker.js';

const PASSWORD = 'p4ss-w0rd-never-stored';
const users = [
  {user: 'alice', password: PASSWORD},
  {user: 'carol', password: 'another-secret'},
];
const mechanisms = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
const files = testTlsFiles();

let saslSsl: SecureTestBroker;
let saslPlaintext: SecureTestBroker;

beforeAll(async () => {
  saslSsl = await startSecureTestBroker({files, sasl: {mechanisms: [...mechanisms]}, users});
  saslPlaintext = await startSecureTestBroker({files, plaintext: true, sasl: {mechanisms: [...mechanisms]}, users});
});
afterAll(async () => {
  await saslSsl.stop();
  await saslPlaintext.stop();
});

const kcatSasl = (tb: SecureTestBroker, mechanism: string, password: string) => [
  '-b', `localhost:${tb.broker.port}`,
  '-X', 'security.protocol=SASL_SSL',
  '-X', `ssl.ca.location=${files.ca}`,
  '-X', `sasl.mechanisms=${mechanism}`,
  '-X', 'sasl.username=alice',
  '-X', `sasl.password=${password}`,
];

describe('kcat over SASL_SSL with the local CA', () => {
  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
    it(`produces and consumes with ${mechanism}`, async () => {
      const topic = `kcat.${mechanism.toLowerCase()}`;
      await kcat([...kcatSasl(saslSsl, mechanism, PASSWORD), '-t', topic, '-P'], 'one\ntwo\n');
      const out = await kcat([...kcatSasl(saslSsl, mechanism, PASSWORD), '-t', topic, '-C', '-e', '-q']);
      expect(out.trim().split('\n')).toEqual(['one', 'two']);
    });
  }

  it('a wrong password fails with an authentication error, and the log names who failed from where, not the password', async () => {
    await expect(kcat([...kcatSasl(saslSsl, 'SCRAM-SHA-256', 'wrong-guess'), '-L', '-m', '5'], undefined, 20_000)).rejects.toThrow(/Authentication failed.*invalid credentials with SASL mechanism SCRAM-SHA-256/);
    expect(saslSsl.logs.some((l) => /SASL authentication failed for user "alice" from 127\.0\.0\.1:\d+ \(SCRAM-SHA-256\)/.test(l))).toBe(true);
    expect(saslSsl.logs.join('\n')).not.toMatch(/wrong-guess|p4ss-w0rd/);
  });
});

describe('Python clients over SASL_SSL', () => {
  for (const client of ['confluent', 'kafka-python'] as const) {
    for (const mechanism of mechanisms) {
      it(`${client} with ${mechanism}`, async () => {
        const res = await pythonSaslRoundTrip(client, {bootstrap: `localhost:${saslSsl.broker.port}`, ca: files.ca, mechanism, user: 'alice', password: PASSWORD, topic: `py.${client}.${mechanism.toLowerCase()}`});
        expect(res.error ?? '').toBe('');
        expect(res.value).toMatch(new RegExp(`^from ${client} via ${mechanism}`));
      });
    }
  }
});

describe('kafkajs', () => {
  async function roundTrip(tb: SecureTestBroker, ssl: boolean, sasl: SASLOptions, topic: string): Promise<string> {
    const kafka = new Kafka({brokers: [tb.bootstrap], ssl: ssl ? {ca: [readFileSync(files.ca, 'utf8')]} : false, sasl, logLevel: logLevel.NOTHING});
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({topic, messages: [{value: `${sasl.mechanism} ${ssl}`}]});
    await producer.disconnect();
    const consumer = kafka.consumer({groupId: `${topic}-g`});
    await consumer.connect();
    await consumer.subscribe({topic, fromBeginning: true});
    const got = await new Promise<string>((resolve) => void consumer.run({eachMessage: async ({message}) => resolve(message.value!.toString())}));
    await consumer.disconnect();
    return got;
  }

  for (const [label, ssl] of [['SASL_PLAINTEXT', false], ['SASL_SSL', true]] as const) {
    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
      it(`over ${label} with ${mechanism}`, async () => {
        const tb = ssl ? saslSsl : saslPlaintext;
        const topic = `kafkajs.${label}.${mechanism}`.toLowerCase();
        expect(await roundTrip(tb, ssl, {mechanism, username: 'alice', password: PASSWORD} as SASLOptions, topic)).toBe(`${mechanism} ${ssl}`);
      });
    }
  }

  it('a wrong password is refused with SASL_AUTHENTICATION_FAILED', async () => {
    const kafka = new Kafka({brokers: [saslPlaintext.bootstrap], sasl: {mechanism: 'scram-sha-512', username: 'carol', password: 'nope'}, retry: {retries: 0}, logLevel: logLevel.NOTHING});
    const admin = kafka.admin();
    await expect(admin.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
  });
});

describe('the SASL listener', () => {
  it('closes the connection of a client that sends anything but ApiVersions or SASL before authenticating', async () => {
    const [host, port] = saslPlaintext.bootstrap.split(':');
    const wire = await BrokerWire.connect(host!, Number(port), 'no-auth');
    await expect(wire.request(MetadataRequestSchema, MetadataResponseSchema, 1, {topics: null})).rejects.toThrow(/closed the connection/);
    expect(saslPlaintext.logs.some((l) => /before SASL authentication on a SASL listener/.test(l))).toBe(true);
  });

  it('answers bad credentials with SASL_AUTHENTICATION_FAILED, then closes', async () => {
    const [host, port] = saslPlaintext.bootstrap.split(':');
    const error = await BrokerWire.connect(host!, Number(port), 'bad', {sasl: {mechanism: 'SCRAM-SHA-256', username: 'alice', password: 'bad'}}).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/SASL authentication as alice failed: Authentication failed during authentication due to invalid credentials/);
  });

  it('keeps salted credentials (salt, iterations ≥ 4096, StoredKey, ServerKey) and never a password', () => {
    const text = readFileSync(join(saslSsl.dataDir, CREDENTIALS_FILE), 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    const stored = JSON.parse(text) as {users: Record<string, Record<string, Record<string, unknown>>>};
    expect(Object.keys(stored.users).sort()).toEqual(['alice', 'carol']);
    for (const m of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
      const cred = stored.users.alice![m]!;
      expect(Object.keys(cred).sort()).toEqual(['iterations', 'salt', 'serverKey', 'storedKey']);
      expect(cred.iterations).toBeGreaterThanOrEqual(4096);
    }
  });
});
