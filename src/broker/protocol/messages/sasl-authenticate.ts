/**
 * SaslAuthenticate (key 36), v0-v2: one SASL token each way.
 * Response: v1 adds sessionLifetimeMs (0: no re-authentication required); v2 is flexible.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const SaslAuthenticateRequestSchema = defineMessage({
  name: 'SaslAuthenticateRequest',
  apiKey: 36,
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [{name: 'authBytes', type: 'bytes', versions: '0+'}],
});

export const SaslAuthenticateResponseSchema = defineMessage({
  name: 'SaslAuthenticateResponse',
  apiKey: 36,
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    {name: 'errorCode', type: 'int16', versions: '0+'},
    {name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null},
    {name: 'authBytes', type: 'bytes', versions: '0+'},
    {name: 'sessionLifetimeMs', type: 'int64', versions: '1+', default: 0},
  ],
});

export type SaslAuthenticateRequest = Decoded<typeof SaslAuthenticateRequestSchema>;
export type SaslAuthenticateResponse = Encodable<typeof SaslAuthenticateResponseSchema>;
