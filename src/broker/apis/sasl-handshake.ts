/**
 * SaslHandshake (key 17), v0–v1. Picks the mechanism for this connection:
 * UNSUPPORTED_SASL_MECHANISM (33) with the enabled list when the listener does not
 * offer it; ILLEGAL_SASL_STATE (34) on a listener without SASL, as Kafka answers on a
 * PLAINTEXT or SSL listener. After v0 the next frames are bare tokens.
 */
import {SaslHandshakeRequestSchema, SaslHandshakeResponseSchema, type SaslHandshakeRequest, type SaslHandshakeResponse} from '../protocol/messages/sasl-handshake.js';
import {ErrorCode} from '../protocol/errors.js';
import {startExchange} from '../security/gate.js';
import {defineHandler} from './types.js';

export const saslHandshakeHandler = defineHandler<SaslHandshakeRequest, SaslHandshakeResponse>({
  apiKey: 17,
  name: 'SaslHandshake',
  minVersion: 0,
  maxVersion: 1,
  request: SaslHandshakeRequestSchema,
  response: SaslHandshakeResponseSchema,
  handle(req, {broker, session, apiVersion}) {
    const mechanisms = [...(broker.config.sasl?.mechanisms ?? [])];
    if (session.authenticated && session.saslRequired) return {errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms};
    if (!session.saslRequired) {
      broker.logger(`SASL handshake from ${session.remote} asked for ${req.mechanism}, but this listener has no SASL`);
      return {errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms};
    }
    const exchange = startExchange(req.mechanism, broker);
    if (!exchange) {
      broker.logger(`SASL handshake from ${session.remote} asked for ${req.mechanism}, which this listener does not offer (${mechanisms.join(', ') || 'no SASL'})`);
      return {errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms};
    }
    session.exchange = exchange;
    session.rawSasl = apiVersion === 0;
    return {errorCode: ErrorCode.NONE, mechanisms};
  },
});
