import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {createServer as createTcpServer, connect, type AddressInfo} from 'node:net';
import {join} from 'node:path';
import {createServer as createTlsServer, type Server as TlsServer} from 'node:tls';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';

// A failed connection names its real cause and the fix, not always "no broker at …".

let tb: TestBroker;
let behindTls: TestBroker;
let dir: string;
let tlsServer: TlsServer;
let tlsAddress: string;
const env = {KPAT_HOME: tempDir('kpat-cli-'), KPAT_BROKERS: ''};
const kpat = (args: string[], cwd?: string) => runCli(args, {env, cwd, timeoutMs: 30_000});

/**
 * A TLS listener in front of an embedded broker, with a self-signed certificate: it
 * listens on 127.0.0.2 at the broker's port, the address that broker advertises, so
 * clients reach the broker only through TLS (as on a real cluster's TLS listener).
 */
async function startTlsProxy(): Promise<void> {
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.2', '-addext', 'subjectAltName=IP:127.0.0.2', '-keyout', join(dir, 'server.key'), '-out', join(dir, 'ca.pem')],
    {stdio: 'ignore'},
  );
  behindTls = await startTestBroker({advertisedHost: '127.0.0.2'});
  const port = Number(behindTls.bootstrap.split(':')[1]);
  tlsServer = createTlsServer({key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'ca.pem'))}, (socket) => {
    const upstream = connect(port, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  tlsServer.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => tlsServer.listen(port, '127.0.0.2', resolve));
  tlsAddress = `127.0.0.2:${port}`;
}

/**
 * The front of a SASL listener, enough for a client to try: ApiVersions, SaslHandshake
 * (PLAIN only) and SaslAuthenticate, which refuses everyone (SASL_AUTHENTICATION_FAILED).
 */
async function startSaslRefuser(): Promise<{address: string; close(): void}> {
  const i16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
  const i32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const str = (t: string) => Buffer.concat([i16(Buffer.byteLength(t)), Buffer.from(t)]);
  const answer = (apiKey: number): Buffer => {
    if (apiKey === 18) {
      const apis = [[18, 0, 2], [17, 0, 1], [36, 0, 1]];
      return Buffer.concat([i16(0), i32(apis.length), ...apis.map(([k, lo, hi]) => Buffer.concat([i16(k!), i16(lo!), i16(hi!)])), i32(0)]);
    }
    if (apiKey === 17) return Buffer.concat([i16(0), i32(1), str('PLAIN')]);
    return Buffer.concat([i16(58), str('Authentication failed: Invalid username or password'), i32(0), Buffer.alloc(8)]);
  };
  const server = createTcpServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + frame.length);
        const body = answer(frame.readInt16BE(0));
        socket.write(Buffer.concat([i32(4 + body.length), i32(frame.readInt32BE(4)), body]));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {address: `127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close()};
}

async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  tb = await startTestBroker();
  dir = tempDir('kpat-tls-');
  await startTlsProxy();
});
afterAll(async () => {
  tlsServer.close();
  await behindTls.stop();
  await tb.stop();
});

describe('connection failures', () => {
  it('--tls against a plaintext listener: the TLS handshake failed, drop --tls', async () => {
    const res = await kpat(['topics', '--brokers', tb.bootstrap, '--tls']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `kpat: TLS handshake with ${tb.bootstrap} failed: the broker hung up before TLS was established — it is probably a plaintext listener: drop --tls (or tls in kpat.config.json), or use the cluster's TLS port\n`,
    );
  });

  it('a broker certificate nobody vouched for: not trusted, pass --tls-ca', async () => {
    const res = await kpat(['topics', '--brokers', tlsAddress, '--tls']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `kpat: the TLS certificate of the broker at ${tlsAddress} is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT) — pass --tls-ca with the CA that signed it (tls.ca in kpat.config.json), or --tls-insecure to skip the check\n`,
    );
  });

  it('with the CA file from --tls-ca or from tls.ca in kpat.config.json, the same listener works', async () => {
    const produced = await kpat(['produce', 'over.tls', '--value', 'secret', '--brokers', tlsAddress, '--tls-ca', join(dir, 'ca.pem')]);
    expect(produced.stderr).toBe('');
    expect(produced.code).toBe(0);
    writeFileSync(join(dir, 'kpat.config.json'), JSON.stringify({brokers: tlsAddress, tls: {ca: 'ca.pem'}}));
    const consumed = await kpat(['consume', 'over.tls', '--from-beginning', '--exit'], dir);
    expect(consumed.stderr).toBe('1 record\n');
    expect(consumed.stdout).toBe('secret\n');
    expect(consumed.code).toBe(0);
  });

  it('plaintext against a TLS listener: the broker closes the connection, pass --tls', async () => {
    const res = await kpat(['topics', '--brokers', tlsAddress]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `kpat: the broker at ${tlsAddress} closed the connection without answering — if it is a TLS listener, pass --tls (and --tls-ca); if it needs SASL, pass --sasl-mechanism; otherwise check that it is up\n`,
    );
  });

  it('SASL against a broker without SASL: it has no SASL, drop --sasl-mechanism', async () => {
    const res = await kpat(['topics', '--brokers', tb.bootstrap, '--sasl-mechanism', 'plain', '--sasl-username', 'u', '--sasl-password', 'p']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `kpat: the broker at ${tb.bootstrap} has no SASL on this listener (it refuses SaslHandshake) — drop --sasl-mechanism (or sasl in kpat.config.json), or point --brokers at the cluster's SASL listener\n`,
    );
  });

  it('SASL with credentials the broker refuses: authentication failed, check the username and password', async () => {
    const sasl = await startSaslRefuser();
    try {
      const refused = await kpat(['topics', '--brokers', sasl.address, '--sasl-mechanism', 'plain', '--sasl-username', 'u', '--sasl-password', 'wrong']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `kpat: SASL authentication failed at ${sasl.address} (SASL PLAIN authentication failed: Authentication failed: Invalid username or password) — check the username and password (--sasl-username, KPAT_SASL_PASSWORD) and --sasl-mechanism\n`,
      );
      const otherMechanism = await kpat(['topics', '--brokers', sasl.address, '--sasl-mechanism', 'scram-sha-256', '--sasl-username', 'u', '--sasl-password', 'p']);
      expect(otherMechanism.code).toBe(1);
      expect(otherMechanism.stderr).toBe(`kpat: the broker at ${sasl.address} does not accept SASL mechanism scram-sha-256 — pass the --sasl-mechanism the cluster is configured for\n`);
    } finally {
      sasl.close();
    }
  });

  it('a closed port: no broker there, run kpat up or pass --brokers', async () => {
    const port = await closedPort();
    const res = await kpat(['topics', '--brokers', `127.0.0.1:${port}`]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`kpat: no broker at 127.0.0.1:${port} — run \`kpat up\` or pass --brokers\n`);
  });

  it('a cluster advertising an address nobody can reach: names that address and the advertised listeners', async () => {
    const misadvertised = await startTestBroker({advertisedHost: '127.0.0.3'});
    try {
      const port = misadvertised.bootstrap.split(':')[1];
      const res = await kpat(['produce', 'adv.v1', '--value', 'v', '--brokers', `127.0.0.1:${port}`]);
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(
        `kpat: the cluster at 127.0.0.1:${port} answered, but the broker address it advertises, 127.0.0.3:${port}, does not (connection refused) — the brokers' advertised listeners must be reachable from here\n`,
      );
    } finally {
      await misadvertised.stop();
    }
  });

  it('a host that does not resolve: DNS lookup failed, check the host name where the brokers came from', async () => {
    const viaFlag = await kpat(['topics', '--brokers', 'no-such-host.invalid:9092']);
    expect(viaFlag.code).toBe(1);
    expect(viaFlag.stderr).toBe('kpat: cannot resolve host no-such-host.invalid (DNS lookup failed) — check the host name in --brokers\n');
    const viaEnv = await runCli(['topics'], {env: {...env, KPAT_BROKERS: 'no-such-host.invalid:9092'}, timeoutMs: 30_000});
    expect(viaEnv.stderr).toBe('kpat: cannot resolve host no-such-host.invalid (DNS lookup failed) — check the host name in KPAT_BROKERS\n');
  });
});

describe('TLS files that cannot be read', () => {
  it('tls.ca in kpat.config.json naming a missing file exits 2 naming the key and the path', async () => {
    const project = tempDir('kpat-project-');
    writeFileSync(join(project, 'kpat.config.json'), JSON.stringify({brokers: tb.bootstrap, tls: {ca: 'certs/ca.pem'}}));
    const res = await kpat(['topics'], project);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`kpat: cannot read tls.ca in kpat.config.json file ${join(project, 'certs', 'ca.pem')} (no such file) — fix the path in tls.ca in kpat.config.json\n`);
  });

  it('--tls-ca naming a missing file exits 2 naming the flag and the path', async () => {
    const project = tempDir('kpat-project-');
    const res = await kpat(['topics', '--brokers', tb.bootstrap, '--tls-ca', 'nowhere.pem'], project);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`kpat: cannot read --tls-ca file ${join(project, 'nowhere.pem')} (no such file) — fix the path in --tls-ca\n`);
  });
});
