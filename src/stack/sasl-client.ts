/**
 * The client side of SASL PLAIN and SCRAM (RFC 5802) for kpat's own wire client:
 * one token in, the next token out, and the server's signature checked at the end
 * (a broker that does not know the password cannot fake it).
 */
import {randomBytes, timingSafeEqual} from 'node:crypto';
import {hash, hmac, parseAttributes, saltedPassword, xor, type ScramMechanism} from '../broker/security/scram.js';

export interface SaslCredentials {
  mechanism: 'PLAIN' | ScramMechanism;
  username: string;
  password: string;
}

/** Yields the client's tokens; each is given the server's previous answer. */
export function* saslClientTokens(creds: SaslCredentials): Generator<Buffer, void, Buffer> {
  if (creds.mechanism === 'PLAIN') {
    yield Buffer.from(`\0${creds.username}\0${creds.password}`, 'utf8');
    return;
  }
  const m = creds.mechanism;
  const name = creds.username.replace(/=/g, '=3D').replace(/,/g, '=2C');
  const clientNonce = randomBytes(18).toString('base64');
  const clientFirstBare = `n=${name},r=${clientNonce}`;
  const serverFirst = (yield Buffer.from(`n,,${clientFirstBare}`, 'utf8')).toString('utf8');
  const attrs = parseAttributes(serverFirst);
  const nonce = attrs.get('r') ?? '';
  if (!nonce.startsWith(clientNonce)) throw new Error('the broker answered SCRAM with a nonce that does not extend ours');
  const salted = saltedPassword(m, creds.password, Buffer.from(attrs.get('s') ?? '', 'base64'), Number(attrs.get('i')));
  const withoutProof = `c=biws,r=${nonce}`;
  const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
  const clientKey = hmac(m, salted, 'Client Key');
  const proof = xor(clientKey, hmac(m, hash(m, clientKey), authMessage));
  const serverFinal = (yield Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8')).toString('utf8');
  const expected = hmac(m, hmac(m, salted, 'Server Key'), authMessage);
  const got = Buffer.from(parseAttributes(serverFinal).get('v') ?? '', 'base64');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new Error('the broker\'s SCRAM signature is wrong: it does not hold this user\'s credential');
}
