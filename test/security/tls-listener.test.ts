import {readFileSync} from 'node:fs';
import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {kcat} from '../helpers/kcat.js';
import {startSecureTestBroker, type SecureTestBroker} from '../helpers/secure-broker.js';

let tb: SecureTestBroker;

beforeAll(async () => {
  tb = await startSecureTestBroker();
});
afterAll(async () => tb.stop());

const sslArgs = () => ['-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${tb.tls.ca}`];

describe('TLS listener', () => {
  it('kcat with security.protocol=SSL and the local CA produces and consumes (host name verified)', async () => {
    const bootstrap = `localhost:${tb.broker.port}`;
    await kcat(['-b', bootstrap, ...sslArgs(), '-X', 'ssl.endpoint.identification.algorithm=https', '-t', 'tls.kcat', '-P', '-K:'], 'k1:one\nk2:two\n');
    const out = await kcat(['-b', bootstrap, ...sslArgs(), '-t', 'tls.kcat', '-C', '-e', '-q', '-f', '%k=%s\\n']);
    expect(out.trim().split('\n')).toEqual(['k1=one', 'k2=two']);
  });

  it('a plaintext client cannot talk to the TLS listener, and the broker says why', async () => {
    await expect(kcat(['-b', tb.bootstrap, '-L', '-m', '3'], undefined, 15_000)).rejects.toThrow(/exited/);
    expect(tb.logs.some((l) => /TLS handshake with 127\.0\.0\.1:\d+ failed/.test(l))).toBe(true);
  });

  it('kafkajs over SSL with the CA produces and consumes', async () => {
    const kafka = new Kafka({brokers: [tb.bootstrap], ssl: {ca: [readFileSync(tb.tls.ca, 'utf8')]}, logLevel: logLevel.NOTHING});
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({topic: 'tls.kafkajs', messages: [{key: 'a', value: 'over tls'}]});
    await producer.disconnect();
    const consumer = kafka.consumer({groupId: 'tls-g'});
    await consumer.connect();
    await consumer.subscribe({topic: 'tls.kafkajs', fromBeginning: true});
    const got = await new Promise<string>((resolve) => void consumer.run({eachMessage: async ({message}) => resolve(message.value!.toString())}));
    await consumer.disconnect();
    expect(got).toBe('over tls');
  });
});

describe('mutual TLS', () => {
  let mtls: SecureTestBroker;
  beforeAll(async () => {
    // The client certificate's subject is the principal ACLs name.
    mtls = await startSecureTestBroker({files: tb.tls, clientAuth: 'required', acl: true});
    mtls.broker.ctx.authorizer.add([
      {resourceType: 2, resourceName: 'mtls.', patternType: 4, principal: 'User:CN=kpat,O=kpat', host: '*', operation: 2, permission: 3},
    ]);
  });
  afterAll(async () => mtls.stop());

  it('accepts a client certificate signed by the CA and refuses a client without one', async () => {
    const base = ['-b', mtls.bootstrap, '-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${tb.tls.ca}`];
    const withCert = [...base, '-X', `ssl.certificate.location=${tb.tls.clientCert}`, '-X', `ssl.key.location=${tb.tls.clientKey}`];
    await kcat([...withCert, '-t', 'mtls.t', '-P'], 'hello\n');
    expect((await kcat([...withCert, '-t', 'mtls.t', '-C', '-e', '-q'])).trim()).toBe('hello');
    await expect(kcat([...base, '-L', '-m', '3'], undefined, 15_000)).rejects.toThrow(/exited/);
  });

  it('authorizes by the certificate subject: User:CN=kpat,O=kpat may use mtls.* but not other topics', async () => {
    const withCert = ['-b', mtls.bootstrap, '-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${tb.tls.ca}`, '-X', `ssl.certificate.location=${tb.tls.clientCert}`, '-X', `ssl.key.location=${tb.tls.clientKey}`];
    await kcat([...withCert, '-t', 'mtls.allowed', '-P'], 'ok\n');
    await expect(kcat([...withCert, '-t', 'other.topic', '-P'], 'no\n', 20_000)).rejects.toThrow(/authorization failed/i);
  });
});
