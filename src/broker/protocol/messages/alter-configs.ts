/**
 * AlterConfigs (key 33), v0-v1.
 * v1 is byte-for-byte the same as v0. Non-incremental: the given configs replace every
 * dynamic config of the resource. Kafka makes v2+ flexible.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const AlterConfigsRequestSchema = defineMessage({
  name: 'AlterConfigsRequest',
  apiKey: 33,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    {
      name: 'resources',
      type: '[]AlterConfigsResource',
      versions: '0+',
      fields: [
        {name: 'resourceType', type: 'int8', versions: '0+'},
        {name: 'resourceName', type: 'string', versions: '0+'},
        {
          name: 'configs',
          type: '[]AlterableConfig',
          versions: '0+',
          fields: [
            {name: 'name', type: 'string', versions: '0+'},
            {name: 'value', type: 'string', versions: '0+', nullableVersions: '0+'},
          ],
        },
      ],
    },
    {name: 'validateOnly', type: 'bool', versions: '0+'},
  ],
});

export const AlterConfigsResponseSchema = defineMessage({
  name: 'AlterConfigsResponse',
  apiKey: 33,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {
      name: 'responses',
      type: '[]AlterConfigsResourceResponse',
      versions: '0+',
      fields: [
        {name: 'errorCode', type: 'int16', versions: '0+'},
        {name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+'},
        {name: 'resourceType', type: 'int8', versions: '0+'},
        {name: 'resourceName', type: 'string', versions: '0+'},
      ],
    },
  ],
});

export type AlterConfigsRequest = Decoded<typeof AlterConfigsRequestSchema>;
export type AlterConfigsResponse = Encodable<typeof AlterConfigsResponseSchema>;
