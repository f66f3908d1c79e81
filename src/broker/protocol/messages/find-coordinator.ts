/**
 * FindCoordinator (key 10), v0-v2.
 * Request: v0 has only the key (a group id); v1 adds keyType (0 group, 1 transaction);
 * v2 is the same as v1.
 * Response: v1 adds throttleTimeMs and errorMessage; v2 is the same as v1.
 * The broker answers only v0-v2, but the response fields follow Kafka up to v4 (flexible v3,
 * one `coordinators` entry per key from v4) so FindCoordinatorResponseSchemaAllVersions can read
 * and write what any broker sends (the fault proxy rewrites those responses).
 */
import {type Decoded, type Encodable, type FieldSpec, defineMessage} from '../schema.js';

export const FindCoordinatorRequestSchema = defineMessage({
  name: 'FindCoordinatorRequest',
  apiKey: 10,
  validVersions: '0-2',
  flexibleVersions: '3+',
  fields: [
    {name: 'key', type: 'string', versions: '0-3'},
    {name: 'keyType', type: 'int8', versions: '1+', default: 0},
  ],
});

const findCoordinatorResponseFields = [
  {name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0},
  {name: 'errorCode', type: 'int16', versions: '0-3'},
  {name: 'errorMessage', type: 'string', versions: '1-3', nullableVersions: '1-3'},
  {name: 'nodeId', type: 'int32', versions: '0-3'},
  {name: 'host', type: 'string', versions: '0-3'},
  {name: 'port', type: 'int32', versions: '0-3'},
] as const satisfies readonly FieldSpec[];

/** v4+: one entry per key asked for (a separate list so the broker's v0-v2 encoder need not fill it). */
const coordinatorsField = {
  name: 'coordinators',
  type: '[]Coordinator',
  versions: '4+',
  fields: [
    {name: 'key', type: 'string', versions: '4+'},
    {name: 'nodeId', type: 'int32', versions: '4+'},
    {name: 'host', type: 'string', versions: '4+'},
    {name: 'port', type: 'int32', versions: '4+'},
    {name: 'errorCode', type: 'int16', versions: '4+'},
    {name: 'errorMessage', type: 'string', versions: '4+', nullableVersions: '4+'},
  ],
} as const satisfies FieldSpec;

export const FindCoordinatorResponseSchema = defineMessage({
  name: 'FindCoordinatorResponse',
  apiKey: 10,
  validVersions: '0-2',
  flexibleVersions: '3+',
  fields: findCoordinatorResponseFields,
});

/** Every version Kafka defines, for reading responses from any broker (not what this one serves). */
export const FindCoordinatorResponseSchemaAllVersions = defineMessage({
  name: 'FindCoordinatorResponse',
  apiKey: 10,
  validVersions: '0-4',
  flexibleVersions: '3+',
  fields: [...findCoordinatorResponseFields, coordinatorsField],
});

export type FindCoordinatorRequest = Decoded<typeof FindCoordinatorRequestSchema>;
export type FindCoordinatorResponse = Encodable<typeof FindCoordinatorResponseSchema>;
