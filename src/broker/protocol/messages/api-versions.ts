/**
 * ApiVersions (key 18), v0-v3.
 * Request: empty in v0-v2; v3 is the first flexible version and adds clientSoftwareName/Version.
 * Response: v1 adds throttleTimeMs; v3 is flexible and may carry tagged feature fields.
 * The response header stays v0 even for v3 (see header.ts), and on UNSUPPORTED_VERSION the
 * broker answers in v0 format with its version list so the client can retry lower
 * (librdkafka sends v3 first, then v0).
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const ApiVersionsRequestSchema = defineMessage({
  name: 'ApiVersionsRequest',
  apiKey: 18,
  validVersions: '0-3',
  flexibleVersions: '3+',
  fields: [
    {name: 'clientSoftwareName', type: 'string', versions: '3+'},
    {name: 'clientSoftwareVersion', type: 'string', versions: '3+'},
  ],
});

export const ApiVersionsResponseSchema = defineMessage({
  name: 'ApiVersionsResponse',
  apiKey: 18,
  validVersions: '0-3',
  flexibleVersions: '3+',
  fields: [
    {name: 'errorCode', type: 'int16', versions: '0+'},
    {
      name: 'apiKeys',
      type: '[]ApiVersion',
      versions: '0+',
      fields: [
        {name: 'apiKey', type: 'int16', versions: '0+'},
        {name: 'minVersion', type: 'int16', versions: '0+'},
        {name: 'maxVersion', type: 'int16', versions: '0+'},
      ],
    },
    {name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0},
    {
      name: 'supportedFeatures',
      type: '[]SupportedFeatureKey',
      versions: '3+',
      taggedVersions: '3+',
      tag: 0,
      fields: [
        {name: 'name', type: 'string', versions: '3+'},
        {name: 'minVersion', type: 'int16', versions: '3+'},
        {name: 'maxVersion', type: 'int16', versions: '3+'},
      ],
    },
    {name: 'finalizedFeaturesEpoch', type: 'int64', versions: '3+', taggedVersions: '3+', tag: 1, default: -1n},
    {
      name: 'finalizedFeatures',
      type: '[]FinalizedFeatureKey',
      versions: '3+',
      taggedVersions: '3+',
      tag: 2,
      fields: [
        {name: 'name', type: 'string', versions: '3+'},
        {name: 'maxVersionLevel', type: 'int16', versions: '3+'},
        {name: 'minVersionLevel', type: 'int16', versions: '3+'},
      ],
    },
    {name: 'zkMigrationReady', type: 'bool', versions: '3+', taggedVersions: '3+', tag: 3, default: false},
  ],
});

export type ApiVersionsRequest = Decoded<typeof ApiVersionsRequestSchema>;
export type ApiVersionsResponse = Encodable<typeof ApiVersionsResponseSchema>;
