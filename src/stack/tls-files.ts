/**
 * The local certificate authority `kpat up --tls` uses: created once under
 * KPAT_HOME/tls, then reused, so clients keep trusting the same CA across
 * restarts. The server certificate is reissued (by the same CA) when it does
 * not cover a host name the broker now answers to. Node can verify but not
 * issue X.509 certificates, hence node-forge; keys come from node:crypto.
 */
import {generateKeyPairSync, randomBytes, X509Certificate} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {isIP} from 'node:net';
import {join} from 'node:path';
import forge from 'node-forge';
import {localTlsPaths} from './tls-paths.js';

export interface LocalTlsFiles {
  dir: string;
  /** The CA's certificate: what clients trust (ssl.ca.location, --tls-ca). */
  ca: string;
  cert: string;
  key: string;
  /** A client certificate signed by the same CA (subject CN=kpat), for mutual TLS. */
  clientCert: string;
  clientKey: string;
}

const CA_DAYS = 3650;
const LEAF_DAYS = 825;

function newKeyPair(): {privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string} {
  const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
  const pem = privateKey.export({type: 'pkcs1', format: 'pem'}).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return {privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem};
}

function baseCert(publicKey: forge.pki.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial: the high bit of the first byte clear.
  cert.serialNumber = '0' + randomBytes(15).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * 24 * 3600 * 1000);
  return cert;
}

function createCa(): {certPem: string; keyPem: string} {
  const keys = newKeyPair();
  const cert = baseCert(keys.publicKey, CA_DAYS);
  const subject = [{name: 'organizationName', value: 'kpat'}, {name: 'commonName', value: 'kpat local CA'}];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    {name: 'basicConstraints', cA: true, critical: true},
    {name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true},
    {name: 'subjectKeyIdentifier'},
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return {certPem: forge.pki.certificateToPem(cert), keyPem: keys.pem};
}

function issue(caCertPem: string, caKeyPem: string, commonName: string, usage: 'server' | 'client', hosts: string[]): {certPem: string; keyPem: string} {
  const caCert = forge.pki.certificateFromPem(caCertPem);
  const caKey = forge.pki.privateKeyFromPem(caKeyPem);
  const keys = newKeyPair();
  const cert = baseCert(keys.publicKey, LEAF_DAYS);
  // Most general first, as X.509 names usually are: the principal then reads "CN=kpat,O=kpat" (RFC 2253).
  cert.setSubject([{name: 'organizationName', value: 'kpat'}, {name: 'commonName', value: commonName}]);
  cert.setIssuer(caCert.subject.attributes);
  const altNames = hosts.map((h) => (isIP(h) ? {type: 7, ip: h} : {type: 2, value: h}));
  cert.setExtensions([
    {name: 'basicConstraints', cA: false},
    {name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true},
    {name: 'extKeyUsage', serverAuth: usage === 'server', clientAuth: usage === 'client'},
    ...(altNames.length > 0 ? [{name: 'subjectAltName', altNames}] : []),
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return {certPem: forge.pki.certificateToPem(cert), keyPem: keys.pem};
}

/** Does the certificate in this file name every host (and is it still valid for a day)? */
function covers(certFile: string, hosts: string[]): boolean {
  if (!existsSync(certFile)) return false;
  const cert = new X509Certificate(readFileSync(certFile));
  if (Date.parse(cert.validTo) < Date.now() + 24 * 3600 * 1000) return false;
  return hosts.every((h) => (isIP(h) ? cert.checkIP(h) !== undefined : cert.checkHost(h) !== undefined));
}

const writePrivate = (file: string, text: string) => writeFileSync(file, text, {mode: 0o600});

/**
 * The CA, server and client files under `home`/tls, created when missing; the
 * server certificate names localhost, 127.0.0.1 and `hosts` (the advertised host,
 * since librdkafka and Java check the host name by default).
 */
export function ensureLocalTls(home: string, hosts: string[] = []): LocalTlsFiles {
  const files: LocalTlsFiles = localTlsPaths(home);
  mkdirSync(files.dir, {recursive: true, mode: 0o700});
  const caKeyFile = join(files.dir, 'ca-key.pem');
  if (!existsSync(files.ca) || !existsSync(caKeyFile)) {
    const ca = createCa();
    writePrivate(caKeyFile, ca.keyPem);
    writeFileSync(files.ca, ca.certPem);
  }
  const caPem = readFileSync(files.ca, 'utf8');
  const caKeyPem = readFileSync(caKeyFile, 'utf8');
  const serverHosts = [...new Set(['localhost', '127.0.0.1', ...hosts.filter((h) => h !== '0.0.0.0' && h !== '::')])];
  if (!covers(files.cert, serverHosts) || !existsSync(files.key)) {
    const server = issue(caPem, caKeyPem, serverHosts.find((h) => !isIP(h)) ?? 'localhost', 'server', serverHosts);
    writePrivate(files.key, server.keyPem);
    writeFileSync(files.cert, server.certPem);
  }
  if (!existsSync(files.clientCert) || !existsSync(files.clientKey)) {
    const client = issue(caPem, caKeyPem, 'kpat', 'client', []);
    writePrivate(files.clientKey, client.keyPem);
    writeFileSync(files.clientCert, client.certPem);
  }
  return files;
}
