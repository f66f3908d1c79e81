/**
 * SaslAuthenticate (key 36), v0–v2. One token of the mechanism SaslHandshake
 * chose. Bad credentials: SASL_AUTHENTICATION_FAILED (58) with a message, then the
 * connection closes, as Kafka does.
 */
import {SaslAuthenticateRequestSchema, SaslAuthenticateResponseSchema, type SaslAuthenticateRequest, type SaslAuthenticateResponse} from '../protocol/messages/sasl-authenticate.js';
import {ErrorCode} from '../protocol/errors.js';
import {saslStep} from '../security/gate.js';
import {defineHandler} from './types.js';

export const saslAuthenticateHandler = defineHandler<SaslAuthenticateRequest, SaslAuthenticateResponse>({
  apiKey: 36,
  name: 'SaslAuthenticate',
  minVersion: 0,
  maxVersion: 2,
  request: SaslAuthenticateRequestSchema,
  response: SaslAuthenticateResponseSchema,
  handle(req, {broker, session}) {
    if (!session.exchange) {
      session.closeAfterReply = true;
      return {errorCode: ErrorCode.ILLEGAL_SASL_STATE, errorMessage: 'SaslAuthenticate without a SaslHandshake first', authBytes: Buffer.alloc(0), sessionLifetimeMs: 0};
    }
    const result = saslStep(session, req.authBytes, broker);
    if ('error' in result) return {errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: result.error, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0};
    return {errorCode: ErrorCode.NONE, errorMessage: null, authBytes: result.response, sessionLifetimeMs: 0};
  },
});
