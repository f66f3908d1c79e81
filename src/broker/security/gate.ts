/**
 * The authentication gate in front of request dispatch, and the SASL steps both
 * ways of authenticating share: SaslAuthenticate requests (SaslHandshake v1) and
 * bare size-prefixed tokens (after SaslHandshake v0, as kafka-python 2.0 does).
 */
import type {BrokerContext} from '../apis/types.js';
import {ErrorCode, KafkaProtocolError} from '../protocol/errors.js';
import {PlainServerExchange} from './plain.js';
import {SCRAM_MECHANISMS, ScramServerExchange, type ScramMechanism} from './scram.js';
import {SaslFailure, type SaslExchange, type Session} from './session.js';

// ApiVersions, SaslHandshake and SaslAuthenticate: what a client may send before it is authenticated.
const BEFORE_AUTH = new Set([18, 17, 36]);

/** Refuses (and so closes the connection, as Kafka does) any other request before authentication. */
export function checkAuthenticated(session: Session, apiKey: number, ctx: BrokerContext): void {
  if (session.authenticated || BEFORE_AUTH.has(apiKey)) return;
  ctx.logger(`closing ${session.remote}: request (api key ${apiKey}) before SASL authentication on a SASL listener`);
  throw new KafkaProtocolError(ErrorCode.ILLEGAL_SASL_STATE, `api key ${apiKey} before SASL authentication`);
}

/** The server side of a mechanism, or null when this broker does not enable it. */
export function startExchange(mechanism: string, ctx: BrokerContext): SaslExchange | null {
  const enabled = ctx.config.sasl?.mechanisms ?? [];
  if (!enabled.includes(mechanism as never)) return null;
  const lookup = (user: string, m: ScramMechanism) => ctx.credentials.get(user, m);
  if (mechanism === 'PLAIN') return new PlainServerExchange(lookup);
  if ((SCRAM_MECHANISMS as readonly string[]).includes(mechanism)) {
    return new ScramServerExchange(mechanism as ScramMechanism, lookup);
  }
  return null;
}

/**
 * Feeds one client token to the session's exchange. On success the session is
 * authenticated as User:<name>; on failure it is marked to close once the answer is
 * written, and the log says who failed from where (never with what password).
 */
export function saslStep(session: Session, token: Buffer, ctx: BrokerContext): {response: Buffer} | {error: string} {
  const exchange = session.exchange;
  if (!exchange) return {error: 'SaslAuthenticate before SaslHandshake'};
  try {
    const {response, user} = exchange.step(token);
    if (user !== undefined) {
      session.principal = `User:${user}`;
      session.authenticated = true;
      session.exchange = null;
      session.rawSasl = false;
    }
    return {response};
  } catch (error) {
    if (!(error instanceof SaslFailure)) throw error;
    const who = error.user === null ? 'a client' : `user ${JSON.stringify(error.user)}`;
    ctx.logger(`SASL authentication failed for ${who} from ${session.remote} (${exchange.mechanism}): ${error.message}`);
    session.exchange = null;
    session.closeAfterReply = true;
    return {error: `Authentication failed during authentication due to invalid credentials with SASL mechanism ${exchange.mechanism}`};
  }
}

/** A bare SASL token (after SaslHandshake v0): the answer is a bare size-prefixed token; a failure closes the connection. */
export function rawSaslToken(session: Session, token: Buffer, ctx: BrokerContext): Buffer {
  const result = saslStep(session, token, ctx);
  if ('error' in result) throw new KafkaProtocolError(ErrorCode.SASL_AUTHENTICATION_FAILED, result.error);
  const out = Buffer.alloc(4 + result.response.length);
  out.writeInt32BE(result.response.length, 0);
  result.response.copy(out, 4);
  return out;
}
