/**
 * AlterUserScramCredentials (key 51), v0 (flexible from v0). Upsertions carry the
 * salted password (PBKDF2 output), never the password; mechanism 1 is
 * SCRAM-SHA-256, 2 SCRAM-SHA-512. One result per user named.
 */
import {type Decoded, type Encodable, defineMessage} from '../schema.js';

export const AlterUserScramCredentialsRequestSchema = defineMessage({
  name: 'AlterUserScramCredentialsRequest',
  apiKey: 51,
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    {
      name: 'deletions',
      type: '[]ScramCredentialDeletion',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {name: 'mechanism', type: 'int8', versions: '0+'},
      ],
    },
    {
      name: 'upsertions',
      type: '[]ScramCredentialUpsertion',
      versions: '0+',
      fields: [
        {name: 'name', type: 'string', versions: '0+'},
        {name: 'mechanism', type: 'int8', versions: '0+'},
        {name: 'iterations', type: 'int32', versions: '0+'},
        {name: 'salt', type: 'bytes', versions: '0+'},
        {name: 'saltedPassword', type: 'bytes', versions: '0+'},
      ],
    },
  ],
});

export const AlterUserScramCredentialsResponseSchema = defineMessage({
  name: 'AlterUserScramCredentialsResponse',
  apiKey: 51,
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {
      name: 'results',
      type: '[]AlterUserScramCredentialsResult',
      versions: '0+',
      fields: [
        {name: 'user', type: 'string', versions: '0+'},
        {name: 'errorCode', type: 'int16', versions: '0+'},
        {name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null},
      ],
    },
  ],
});

export type AlterUserScramCredentialsRequest = Decoded<typeof AlterUserScramCredentialsRequestSchema>;
export type AlterUserScramCredentialsResponse = Encodable<typeof AlterUserScramCredentialsResponseSchema>;
