/**
 * SASL PLAIN (RFC 4616): "authzid NUL user NUL password" in one token. The
 * password is checked against the user's salted SCRAM credential, so PLAIN needs
 * no stored password either; the answer is an empty token.
 */
import {passwordMatches, SCRAM_MECHANISMS, type ScramCredential, type ScramMechanism} from './scram.js';
import {SaslFailure, type SaslExchange} from './session.js';

export class PlainServerExchange implements SaslExchange {
  readonly mechanism = 'PLAIN';

  constructor(private readonly lookup: (user: string, m: ScramMechanism) => ScramCredential | undefined) {}

  step(token: Buffer): {response: Buffer; user: string} {
    const parts = token.toString('utf8').split('\0');
    if (parts.length !== 3 || !parts[1]) throw new SaslFailure('invalid SASL/PLAIN message: expected authzid NUL user NUL password');
    const [authzid, user, password] = parts as [string, string, string];
    if (authzid && authzid !== user) throw new SaslFailure(`authorization id ${authzid} differs from the user`, user);
    for (const m of SCRAM_MECHANISMS) {
      const cred = this.lookup(user, m);
      if (cred) {
        if (passwordMatches(m, cred, password)) return {response: Buffer.alloc(0), user};
        throw new SaslFailure('invalid credentials', user);
      }
    }
    throw new SaslFailure('unknown user', user);
  }
}
