/**
 * DeleteTopics (key 20), v0-v1.
 * Request: v1 is the same as v0.
 * Response: v1 adds throttleTimeMs.
 * Kafka makes v4+ flexible and switches to topic ids in v6 (left out).
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const DeleteTopicsRequestSchema = defineMessage({
  name: 'DeleteTopicsRequest',
  apiKey: 20,
  validVersions: '0-1',
  flexibleVersions: '4+',
  fields: [
    {name: 'topicNames', type: '[]string', versions: '0-5'},
    {name: 'timeoutMs', type: 'int32', versions: '0+'},
  ],
});

export const DeleteTopicsResponseSchema = defineMessage({
  name: 'DeleteTopicsResponse',
  apiKey: 20,
  validVersions: '0-1',
  flexibleVersions: '4+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0},
    {
      name: 'responses',
      type: '[]DeletableTopicResult',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {name: 'errorCode', type: 'int16', versions: '0+'},
      ],
    },
  ],
});

export type DeleteTopicsRequest = Decoded<typeof DeleteTopicsRequestSchema>;
export type DeleteTopicsResponse = Encodable<typeof DeleteTopicsResponseSchema>;
