/**
 * CreateAcls (key 30), DescribeAcls (key 29), DeleteAcls (key 31), v0-v1 each.
 * v1 adds the resource pattern type (LITERAL 3 / PREFIXED 4; filters also ANY 1 and
 * MATCH 2); v0 means LITERAL. Kafka makes v2+ flexible.
 */
import {type Decoded, type Encodable, type FieldSpec, defineMessage} from '../schema.js';

const filterFields = [
  {name: 'resourceTypeFilter', type: 'int8', versions: '0+'},
  {name: 'resourceNameFilter', type: 'string', versions: '0+', nullableVersions: '0+'},
  {name: 'patternTypeFilter', type: 'int8', versions: '1+', default: 3},
  {name: 'principalFilter', type: 'string', versions: '0+', nullableVersions: '0+'},
  {name: 'hostFilter', type: 'string', versions: '0+', nullableVersions: '0+'},
  {name: 'operation', type: 'int8', versions: '0+'},
  {name: 'permissionType', type: 'int8', versions: '0+'},
] as const satisfies readonly FieldSpec[];

export const CreateAclsRequestSchema = defineMessage({
  name: 'CreateAclsRequest',
  apiKey: 30,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    {
      name: 'creations',
      type: '[]AclCreation',
      versions: '0+',
      fields: [
        {name: 'resourceType', type: 'int8', versions: '0+'},
        {name: 'resourceName', type: 'string', versions: '0+'},
        {name: 'resourcePatternType', type: 'int8', versions: '1+', default: 3},
        {name: 'principal', type: 'string', versions: '0+'},
        {name: 'host', type: 'string', versions: '0+'},
        {name: 'operation', type: 'int8', versions: '0+'},
        {name: 'permissionType', type: 'int8', versions: '0+'},
      ],
    },
  ],
});

export const CreateAclsResponseSchema = defineMessage({
  name: 'CreateAclsResponse',
  apiKey: 30,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {
      name: 'results',
      type: '[]AclCreationResult',
      versions: '0+',
      fields: [
        {name: 'errorCode', type: 'int16', versions: '0+'},
        {name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null},
      ],
    },
  ],
});

export const DescribeAclsRequestSchema = defineMessage({
  name: 'DescribeAclsRequest',
  apiKey: 29,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: filterFields,
});

export const DescribeAclsResponseSchema = defineMessage({
  name: 'DescribeAclsResponse',
  apiKey: 29,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {name: 'errorCode', type: 'int16', versions: '0+'},
    {name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null},
    {
      name: 'resources',
      type: '[]DescribeAclsResource',
      versions: '0+',
      fields: [
        {name: 'resourceType', type: 'int8', versions: '0+'},
        {name: 'resourceName', type: 'string', versions: '0+'},
        {name: 'patternType', type: 'int8', versions: '1+', default: 3},
        {
          name: 'acls',
          type: '[]AclDescription',
          versions: '0+',
          fields: [
            {name: 'principal', type: 'string', versions: '0+'},
            {name: 'host', type: 'string', versions: '0+'},
            {name: 'operation', type: 'int8', versions: '0+'},
            {name: 'permissionType', type: 'int8', versions: '0+'},
          ],
        },
      ],
    },
  ],
});

export const DeleteAclsRequestSchema = defineMessage({
  name: 'DeleteAclsRequest',
  apiKey: 31,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [{name: 'filters', type: '[]DeleteAclsFilter', versions: '0+', fields: filterFields}],
});

export const DeleteAclsResponseSchema = defineMessage({
  name: 'DeleteAclsResponse',
  apiKey: 31,
  validVersions: '0-1',
  flexibleVersions: '2+',
  fields: [
    {name: 'throttleTimeMs', type: 'int32', versions: '0+', default: 0},
    {
      name: 'filterResults',
      type: '[]DeleteAclsFilterResult',
      versions: '0+',
      fields: [
        {name: 'errorCode', type: 'int16', versions: '0+'},
        {name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null},
        {
          name: 'matchingAcls',
          type: '[]DeleteAclsMatchingAcl',
          versions: '0+',
          fields: [
            {name: 'errorCode', type: 'int16', versions: '0+'},
            {name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null},
            {name: 'resourceType', type: 'int8', versions: '0+'},
            {name: 'resourceName', type: 'string', versions: '0+'},
            {name: 'patternType', type: 'int8', versions: '1+', default: 3},
            {name: 'principal', type: 'string', versions: '0+'},
            {name: 'host', type: 'string', versions: '0+'},
            {name: 'operation', type: 'int8', versions: '0+'},
            {name: 'permissionType', type: 'int8', versions: '0+'},
          ],
        },
      ],
    },
  ],
});

export type CreateAclsRequest = Decoded<typeof CreateAclsRequestSchema>;
export type CreateAclsResponse = Encodable<typeof CreateAclsResponseSchema>;
export type DescribeAclsRequest = Decoded<typeof DescribeAclsRequestSchema>;
export type DescribeAclsResponse = Encodable<typeof DescribeAclsResponseSchema>;
export type DeleteAclsRequest = Decoded<typeof DeleteAclsRequestSchema>;
export type DeleteAclsResponse = Encodable<typeof DeleteAclsResponseSchema>;
