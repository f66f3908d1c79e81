/**
 * The TLS side of the broker's listener: the server options from the broker's
 * certificate files, and the principal of a client that showed a certificate
 * (its subject as Kafka writes it, RFC 2253 order: "User:CN=alice,O=acme").
 */
import {readFileSync} from 'node:fs';
import type tls from 'node:tls';
import type {BrokerConfig} from '../config.js';

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`cannot read the TLS ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}) — fix the path given to --tls-${what === 'certificate' ? 'cert' : what === 'key' ? 'key' : 'ca'}`);
  }
}

export function tlsServerOptions(config: NonNullable<BrokerConfig['tls']>): tls.TlsOptions {
  const mutual = config.clientAuth === 'required';
  if (mutual && !config.caFile) throw new Error('--tls-client-auth required needs the CA that signs client certificates (--tls-ca)');
  return {
    cert: readPem(config.certFile, 'certificate'),
    key: readPem(config.keyFile, 'key'),
    ...(config.caFile ? {ca: readPem(config.caFile, 'CA')} : {}),
    requestCert: mutual,
    rejectUnauthorized: mutual,
  };
}

/** "User:CN=alice,OU=payments,O=acme" from a verified peer certificate; null without one. */
export function principalOfPeer(socket: tls.TLSSocket): string | null {
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject || Object.keys(cert.subject).length === 0) return null;
  // Node lists the subject from the root of the name down; RFC 2253 writes it the other way round.
  const parts = Object.entries(cert.subject).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}=${x}`));
  return `User:${parts.reverse().join(',')}`;
}
