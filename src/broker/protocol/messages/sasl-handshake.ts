/**
 * SaslHandshake (key 17), v0-v1. The client names a mechanism; the answer lists
 * the enabled ones. After v0 the client sends bare SASL tokens; after v1 it
 * wraps them in SaslAuthenticate. Kafka never made it flexible.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const SaslHandshakeRequestSchema = defineMessage({
  name: 'SaslHandshakeRequest',
  apiKey: 17,
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: [{name: 'mechanism', type: 'string', versions: '0+'}],
});

export const SaslHandshakeResponseSchema = defineMessage({
  name: 'SaslHandshakeResponse',
  apiKey: 17,
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: [
    {name: 'errorCode', type: 'int16', versions: '0+'},
    {name: 'mechanisms', type: '[]string', versions: '0+'},
  ],
});

export type SaslHandshakeRequest = Decoded<typeof SaslHandshakeRequestSchema>;
export type SaslHandshakeResponse = Encodable<typeof SaslHandshakeResponseSchema>;
