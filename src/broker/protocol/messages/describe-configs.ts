/**
 * DescribeConfigs (key 32), v0-v2.
 * Request: v1 adds includeSynonyms; v2 is the same as v1. A null configurationKeys list
 * means every key of the resource. resourceType: 2 topic, 4 broker.
 * Response: v0 has isDefault per entry; v1 replaces it with configSource and adds synonyms;
 * v2 is the same as v1. Kafka adds documentation in v3 and makes v4+ flexible (left out).
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const DescribeConfigsRequestSchema = defineMessage({
  name: 'DescribeConfigsRequest',
  apiKey: 32,
  validVersions: '0-2',
  flexibleVersions: '4+',
  fields: [
    {
      name: 'resources',
      type: '[]DescribeConfigsResource',
      versions: '0+',
      fields: [
        {name: 'resourceType', type: 'int8', versions: '0+'},
        {name: 'resourceName', type: 'string', versions: '0+'},
        {name: 'configurationKeys', type: '[]string', versions: '0+', nullableVersions: '0+'},
      ],
    },
    {name: 'includeSynonyms', type: 'bool', versions: '1+', default: false},
  ],
});

export const DescribeConfigsResponseSchema = defineMessage({
  name: 'DescribeConfigsResponse',
  apiKey: 32,
  validVersions: '0-2',
  flexibleVersions: '4+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {
      name: 'results',
      type: '[]DescribeConfigsResult',
      versions: '0+',
      fields: [
        {name: 'errorCode', type: 'int16', versions: '0+'},
        {name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+'},
        {name: 'resourceType', type: 'int8', versions: '0+'},
        {name: 'resourceName', type: 'string', versions: '0+'},
        {
          name: 'configs',
          type: '[]DescribeConfigsResourceResult',
          versions: '0+',
          fields: [
            {name: 'name', type: 'string', versions: '0+'},
            {name: 'value', type: 'string', versions: '0+', nullableVersions: '0+'},
            {name: 'readOnly', type: 'bool', versions: '0+'},
            {name: 'isDefault', type: 'bool', versions: '0'},
            // 1 dynamic topic config, 4 static broker config, 5 default config (-1 unknown).
            {name: 'configSource', type: 'int8', versions: '1+', default: -1},
            {name: 'isSensitive', type: 'bool', versions: '0+'},
            {
              name: 'synonyms',
              type: '[]DescribeConfigsSynonym',
              versions: '1+',
              fields: [
                {name: 'name', type: 'string', versions: '1+'},
                {name: 'value', type: 'string', versions: '1+', nullableVersions: '0+'},
                {name: 'source', type: 'int8', versions: '1+'},
              ],
            },
          ],
        },
      ],
    },
  ],
});

export type DescribeConfigsRequest = Decoded<typeof DescribeConfigsRequestSchema>;
export type DescribeConfigsResponse = Encodable<typeof DescribeConfigsResponseSchema>;
