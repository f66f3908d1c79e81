/**
 * SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677), the way Kafka runs them:
 * the broker keeps salt, iterations, StoredKey and ServerKey per user and
 * mechanism — never the password — and proves it knows them with the server
 * signature. The math here is shared with kpat's own client (users, tests).
 */
import {createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual} from 'node:crypto';
import {SaslFailure, type SaslExchange} from './session.js';

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
export const SCRAM_MECHANISMS: readonly ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];
/** Kafka's minimum (and kafka-configs' default) iteration count. */
export const MIN_ITERATIONS = 4096;
export const MAX_ITERATIONS = 16384;

export interface ScramCredential {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hashOf = (m: ScramMechanism) => (m === 'SCRAM-SHA-256' ? 'sha256' : 'sha512');
const hashLength = (m: ScramMechanism) => (m === 'SCRAM-SHA-256' ? 32 : 64);
export const hmac = (m: ScramMechanism, key: Buffer, text: string | Buffer) => createHmac(hashOf(m), key).update(text).digest();
export const hash = (m: ScramMechanism, data: Buffer) => createHash(hashOf(m)).update(data).digest();

export function saltedPassword(m: ScramMechanism, password: string, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(Buffer.from(password.normalize('NFKC'), 'utf8'), salt, iterations, hashLength(m), hashOf(m));
}

/** The stored form from a salted password (what AlterUserScramCredentials carries). */
export function credentialFromSalted(m: ScramMechanism, salted: Buffer, salt: Buffer, iterations: number): ScramCredential {
  return {salt, iterations, storedKey: hash(m, hmac(m, salted, 'Client Key')), serverKey: hmac(m, salted, 'Server Key')};
}

export function newCredential(m: ScramMechanism, password: string, iterations = MIN_ITERATIONS): ScramCredential {
  const salt = randomBytes(32);
  return credentialFromSalted(m, saltedPassword(m, password, salt, iterations), salt, iterations);
}

/** Does this password match the credential? (PLAIN logins are checked against SCRAM credentials.) */
export function passwordMatches(m: ScramMechanism, cred: ScramCredential, password: string): boolean {
  const candidate = credentialFromSalted(m, saltedPassword(m, password, cred.salt, cred.iterations), cred.salt, cred.iterations);
  return timingSafeEqual(candidate.storedKey, cred.storedKey);
}

/** RFC 5802 attribute list "a=1,b=2" (values may contain '='). */
export function parseAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) out.set(part[0]!, part.slice(2));
  }
  return out;
}

/** saslname decoding: "=2C" is ',' and "=3D" is '='. */
const decodeName = (name: string) => name.replace(/=2C/g, ',').replace(/=3D/g, '=');

export function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** The server side of one SCRAM exchange: client-first → server-first → client-final → server-final. */
export class ScramServerExchange implements SaslExchange {
  private state: 'first' | 'final' | 'done' = 'first';
  private user = '';
  private cred: ScramCredential | null = null;
  private nonce = '';
  private clientFirstBare = '';
  private serverFirst = '';
  private gs2Header = '';

  constructor(
    readonly mechanism: ScramMechanism,
    private readonly lookup: (user: string, m: ScramMechanism) => ScramCredential | undefined,
  ) {}

  step(token: Buffer): {response: Buffer; user?: string} {
    const text = token.toString('utf8');
    if (this.state === 'first') return this.first(text);
    if (this.state === 'final') return this.final(text);
    throw new SaslFailure('unexpected SASL token after the exchange completed', this.user);
  }

  private first(text: string): {response: Buffer} {
    // gs2-header: "n,," or "y,," (no channel binding), optionally with "a=authzid".
    const m = /^([ny]),(a=[^,]*)?,(.*)$/.exec(text);
    if (!m) throw new SaslFailure(`invalid SCRAM client-first message (channel binding is not supported)`);
    this.gs2Header = `${m[1]},${m[2] ?? ''},`;
    this.clientFirstBare = m[3]!;
    const attrs = parseAttributes(this.clientFirstBare);
    const user = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (!user || !clientNonce) throw new SaslFailure('invalid SCRAM client-first message: no user or nonce');
    this.user = decodeName(user);
    const authzid = m[2]?.slice(2);
    if (authzid && decodeName(authzid) !== this.user) throw new SaslFailure(`authorization id ${authzid} differs from the user`, this.user);
    this.cred = this.lookup(this.user, this.mechanism) ?? null;
    if (!this.cred) throw new SaslFailure(`unknown user or no ${this.mechanism} credential`, this.user);
    this.nonce = clientNonce + randomBytes(18).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${this.cred.salt.toString('base64')},i=${this.cred.iterations}`;
    this.state = 'final';
    return {response: Buffer.from(this.serverFirst, 'utf8')};
  }

  private final(text: string): {response: Buffer; user: string} {
    const cred = this.cred!;
    const proofAt = text.lastIndexOf(',p=');
    if (proofAt < 0) throw new SaslFailure('invalid SCRAM client-final message: no proof', this.user);
    const withoutProof = text.slice(0, proofAt);
    const attrs = parseAttributes(withoutProof);
    // Kafka checks that the nonce ends with ours: librdkafka 2.0 sends its own nonce again in front of it.
    if (!(attrs.get('r') ?? '').endsWith(this.nonce)) throw new SaslFailure('SCRAM nonce mismatch', this.user);
    if (attrs.get('c') !== Buffer.from(this.gs2Header, 'utf8').toString('base64')) throw new SaslFailure('SCRAM channel binding mismatch', this.user);
    const proof = Buffer.from(text.slice(proofAt + 3), 'base64');
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.mechanism, cred.storedKey, authMessage);
    if (proof.length !== clientSignature.length) throw new SaslFailure('invalid credentials', this.user);
    const clientKey = xor(proof, clientSignature);
    if (!timingSafeEqual(hash(this.mechanism, clientKey), cred.storedKey)) throw new SaslFailure('invalid credentials', this.user);
    this.state = 'done';
    const serverSignature = hmac(this.mechanism, cred.serverKey, authMessage).toString('base64');
    return {response: Buffer.from(`v=${serverSignature}`, 'utf8'), user: this.user};
  }
}
