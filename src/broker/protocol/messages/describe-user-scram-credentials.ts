/**
 * DescribeUserScramCredentials (key 50), v0 (flexible from v0). Null users: every user.
 * Per user: its mechanisms (1 SCRAM-SHA-256, 2 SCRAM-SHA-512) and iterations, never the keys.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const DescribeUserScramCredentialsRequestSchema = defineMessage({
  name: 'DescribeUserScramCredentialsRequest',
  apiKey: 50,
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [{name: 'users', type: '[]UserName', versions: '0+', nullableVersions: '0+', fields: [{name: 'name', type: 'string', versions: '0+'}]}],
});

export const DescribeUserScramCredentialsResponseSchema = defineMessage({
  name: 'DescribeUserScramCredentialsResponse',
  apiKey: 50,
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {name: 'errorCode', type: 'int16', versions: '0+'},
    {name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null},
    {
      name: 'results',
      type: '[]DescribeUserScramCredentialsResult',
      versions: '0+',
      fields: [
        {name: 'user', type: 'string', versions: '0+'},
        {name: 'errorCode', type: 'int16', versions: '0+'},
        {name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null},
        {
          name: 'credentialInfos',
          type: '[]CredentialInfo',
          versions: '0+',
          fields: [
            {name: 'mechanism', type: 'int8', versions: '0+'},
            {name: 'iterations', type: 'int32', versions: '0+'},
          ],
        },
      ],
    },
  ],
});

export type DescribeUserScramCredentialsRequest = Decoded<typeof DescribeUserScramCredentialsRequestSchema>;
export type DescribeUserScramCredentialsResponse = Encodable<typeof DescribeUserScramCredentialsResponseSchema>;
