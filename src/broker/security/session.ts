/**
 * What the broker knows about one connection's client: who it is (its Kafka
 * principal) and how far it got through SASL. Owned by the connection, read by
 * the handlers through the request context.
 */

/** One SASL mechanism's server side for one client: tokens in, challenges out. */
export interface SaslExchange {
  readonly mechanism: string;
  /** The next server token; `user` once the client proved who it is. Throws SaslFailure on bad credentials. */
  step(token: Buffer): {response: Buffer; user?: string};
}

/** The client failed to authenticate; `message` is safe to log and to send (never a password). */
export class SaslFailure extends Error {
  constructor(
    message: string,
    readonly user: string | null = null,
  ) {
    super(message);
    this.name = 'SaslFailure';
  }
}

export const ANONYMOUS = 'User:ANONYMOUS';

export class Session {
  principal = ANONYMOUS;
  /** False on a SASL listener until SaslAuthenticate (or the raw exchange) succeeds. */
  authenticated: boolean;
  /** The mechanism SaslHandshake chose, and its exchange in progress. */
  exchange: SaslExchange | null = null;
  /**
   * After SaslHandshake v0 the client sends bare SASL tokens, each size-prefixed,
   * without a Kafka request header (what kafka-python 2.0 and old clients do).
   */
  rawSasl = false;
  /** Set by a failed authentication: the connection closes once its answer is written. */
  closeAfterReply = false;

  constructor(
    /** host:port of the client, for logs. */
    readonly remote: string,
    readonly saslRequired: boolean,
    tlsPrincipal: string | null = null,
  ) {
    this.authenticated = !saslRequired;
    if (tlsPrincipal) this.principal = tlsPrincipal;
  }

  /** The user name in the principal ("alice" for User:alice). */
  get user(): string {
    return this.principal.slice(this.principal.indexOf(':') + 1);
  }
}
