/**
 * The registry of implemented APIs: one entry per API key with its request/response schemas.
 * ApiVersions advertises exactly these ranges (kafkajs picks min(its max, our max) without
 * checking our minimum, so an entry here is a promise).
 */
import type {Decoded, MessageSchema} from '../schema.js';
import {AddOffsetsToTxnRequestSchema, AddOffsetsToTxnResponseSchema} from './add-offsets-to-txn.js';
import {AddPartitionsToTxnRequestSchema, AddPartitionsToTxnResponseSchema} from './add-partitions-to-txn.js';
import {AlterConfigsRequestSchema, AlterConfigsResponseSchema} from './alter-configs.js';
import {ApiVersionsRequestSchema, ApiVersionsResponseSchema} from './api-versions.js';
import {CreatePartitionsRequestSchema, CreatePartitionsResponseSchema} from './create-partitions.js';
import {CreateTopicsRequestSchema, CreateTopicsResponseSchema} from './create-topics.js';
import {DeleteGroupsRequestSchema, DeleteGroupsResponseSchema} from './delete-groups.js';
import {DeleteRecordsRequestSchema, DeleteRecordsResponseSchema} from './delete-records.js';
import {DeleteTopicsRequestSchema, DeleteTopicsResponseSchema} from './delete-topics.js';
import {DescribeConfigsRequestSchema, DescribeConfigsResponseSchema} from './describe-configs.js';
import {DescribeGroupsRequestSchema, DescribeGroupsResponseSchema} from './describe-groups.js';
import {EndTxnRequestSchema, EndTxnResponseSchema} from './end-txn.js';
import {FetchRequestSchema, FetchResponseSchema} from './fetch.js';
import {FindCoordinatorRequestSchema, FindCoordinatorResponseSchema} from './find-coordinator.js';
import {HeartbeatRequestSchema, HeartbeatResponseSchema} from './heartbeat.js';
import {InitProducerIdRequestSchema, InitProducerIdResponseSchema} from './init-producer-id.js';
import {JoinGroupRequestSchema, JoinGroupResponseSchema} from './join-group.js';
import {LeaveGroupRequestSchema, LeaveGroupResponseSchema} from './leave-group.js';
import {ListGroupsRequestSchema, ListGroupsResponseSchema} from './list-groups.js';
import {ListOffsetsRequestSchema, ListOffsetsResponseSchema} from './list-offsets.js';
import {MetadataRequestSchema, MetadataResponseSchema} from './metadata.js';
import {OffsetCommitRequestSchema, OffsetCommitResponseSchema} from './offset-commit.js';
import {OffsetFetchRequestSchema, OffsetFetchResponseSchema} from './offset-fetch.js';
import {SaslAuthenticateRequestSchema, SaslAuthenticateResponseSchema} from './sasl-authenticate.js';
import {SaslHandshakeRequestSchema, SaslHandshakeResponseSchema} from './sasl-handshake.js';
import {CreateAclsRequestSchema, CreateAclsResponseSchema, DeleteAclsRequestSchema, DeleteAclsResponseSchema, DescribeAclsRequestSchema, DescribeAclsResponseSchema} from './acls.js';
import {AlterUserScramCredentialsRequestSchema, AlterUserScramCredentialsResponseSchema} from './alter-user-scram-credentials.js';
import {DescribeUserScramCredentialsRequestSchema, DescribeUserScramCredentialsResponseSchema} from './describe-user-scram-credentials.js';
import {ProduceRequestSchema, ProduceResponseSchema} from './produce.js';
import {SyncGroupRequestSchema, SyncGroupResponseSchema} from './sync-group.js';
import {TxnOffsetCommitRequestSchema, TxnOffsetCommitResponseSchema} from './txn-offset-commit.js';

export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  InitProducerId: 22,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  TxnOffsetCommit: 28,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  DescribeAcls: 29,
  CreateAcls: 30,
  DeleteAcls: 31,
  SaslAuthenticate: 36,
  CreatePartitions: 37,
  DeleteGroups: 42,
  DescribeUserScramCredentials: 50,
  AlterUserScramCredentials: 51,
} as const;

export type ApiName = keyof typeof ApiKey;
export type ApiKeyValue = (typeof ApiKey)[ApiName];

export interface ApiSchemas<
  Req extends MessageSchema = MessageSchema,
  Res extends MessageSchema = MessageSchema,
> {
  readonly name: ApiName;
  readonly request: Req;
  readonly response: Res;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** Pairs a request and response schema, taking the advertised range from their validVersions. */
function api<Req extends MessageSchema, Res extends MessageSchema>(
  name: ApiName,
  request: Req,
  response: Res,
): ApiSchemas<Req, Res> {
  const [minVersion, maxVersion] = request.validVersions;
  const [resMin, resMax] = response.validVersions;
  if (request.apiKey !== ApiKey[name] || response.apiKey !== ApiKey[name]) {
    throw new Error(`${name}: schemas carry the wrong api key`);
  }
  if (resMin !== minVersion || resMax !== maxVersion) {
    throw new Error(`${name}: request and response version ranges differ`);
  }
  return {name, request, response, minVersion, maxVersion};
}

export const API_SCHEMAS = {
  [ApiKey.Produce]: api('Produce', ProduceRequestSchema, ProduceResponseSchema),
  [ApiKey.Fetch]: api('Fetch', FetchRequestSchema, FetchResponseSchema),
  [ApiKey.ListOffsets]: api('ListOffsets', ListOffsetsRequestSchema, ListOffsetsResponseSchema),
  [ApiKey.Metadata]: api('Metadata', MetadataRequestSchema, MetadataResponseSchema),
  [ApiKey.OffsetCommit]: api('OffsetCommit', OffsetCommitRequestSchema, OffsetCommitResponseSchema),
  [ApiKey.OffsetFetch]: api('OffsetFetch', OffsetFetchRequestSchema, OffsetFetchResponseSchema),
  [ApiKey.FindCoordinator]: api('FindCoordinator', FindCoordinatorRequestSchema, FindCoordinatorResponseSchema),
  [ApiKey.JoinGroup]: api('JoinGroup', JoinGroupRequestSchema, JoinGroupResponseSchema),
  [ApiKey.Heartbeat]: api('Heartbeat', HeartbeatRequestSchema, HeartbeatResponseSchema),
  [ApiKey.LeaveGroup]: api('LeaveGroup', LeaveGroupRequestSchema, LeaveGroupResponseSchema),
  [ApiKey.SyncGroup]: api('SyncGroup', SyncGroupRequestSchema, SyncGroupResponseSchema),
  [ApiKey.DescribeGroups]: api('DescribeGroups', DescribeGroupsRequestSchema, DescribeGroupsResponseSchema),
  [ApiKey.ListGroups]: api('ListGroups', ListGroupsRequestSchema, ListGroupsResponseSchema),
  [ApiKey.ApiVersions]: api('ApiVersions', ApiVersionsRequestSchema, ApiVersionsResponseSchema),
  [ApiKey.CreateTopics]: api('CreateTopics', CreateTopicsRequestSchema, CreateTopicsResponseSchema),
  [ApiKey.DeleteTopics]: api('DeleteTopics', DeleteTopicsRequestSchema, DeleteTopicsResponseSchema),
  [ApiKey.DeleteRecords]: api('DeleteRecords', DeleteRecordsRequestSchema, DeleteRecordsResponseSchema),
  [ApiKey.InitProducerId]: api('InitProducerId', InitProducerIdRequestSchema, InitProducerIdResponseSchema),
  [ApiKey.AddPartitionsToTxn]: api('AddPartitionsToTxn', AddPartitionsToTxnRequestSchema, AddPartitionsToTxnResponseSchema),
  [ApiKey.AddOffsetsToTxn]: api('AddOffsetsToTxn', AddOffsetsToTxnRequestSchema, AddOffsetsToTxnResponseSchema),
  [ApiKey.EndTxn]: api('EndTxn', EndTxnRequestSchema, EndTxnResponseSchema),
  [ApiKey.TxnOffsetCommit]: api('TxnOffsetCommit', TxnOffsetCommitRequestSchema, TxnOffsetCommitResponseSchema),
  [ApiKey.DescribeConfigs]: api('DescribeConfigs', DescribeConfigsRequestSchema, DescribeConfigsResponseSchema),
  [ApiKey.AlterConfigs]: api('AlterConfigs', AlterConfigsRequestSchema, AlterConfigsResponseSchema),
  [ApiKey.CreatePartitions]: api('CreatePartitions', CreatePartitionsRequestSchema, CreatePartitionsResponseSchema),
  [ApiKey.DeleteGroups]: api('DeleteGroups', DeleteGroupsRequestSchema, DeleteGroupsResponseSchema),
  [ApiKey.SaslHandshake]: api('SaslHandshake', SaslHandshakeRequestSchema, SaslHandshakeResponseSchema),
  [ApiKey.SaslAuthenticate]: api('SaslAuthenticate', SaslAuthenticateRequestSchema, SaslAuthenticateResponseSchema),
  [ApiKey.DescribeAcls]: api('DescribeAcls', DescribeAclsRequestSchema, DescribeAclsResponseSchema),
  [ApiKey.CreateAcls]: api('CreateAcls', CreateAclsRequestSchema, CreateAclsResponseSchema),
  [ApiKey.DeleteAcls]: api('DeleteAcls', DeleteAclsRequestSchema, DeleteAclsResponseSchema),
  [ApiKey.DescribeUserScramCredentials]: api('DescribeUserScramCredentials', DescribeUserScramCredentialsRequestSchema, DescribeUserScramCredentialsResponseSchema),
  [ApiKey.AlterUserScramCredentials]: api('AlterUserScramCredentials', AlterUserScramCredentialsRequestSchema, AlterUserScramCredentialsResponseSchema),
} as const satisfies Record<ApiKeyValue, ApiSchemas>;

/** The decoded request body of an API, e.g. RequestOf<typeof ApiKey.Produce>. */
export type RequestOf<K extends ApiKeyValue> = Decoded<(typeof API_SCHEMAS)[K]['request']>;
/** The response body a handler returns for an API. */

/** The registry entry for a key from the wire, or undefined for an API we do not implement. */
export function apiSchemas(apiKey: number): ApiSchemas | undefined {
  return (API_SCHEMAS as Partial<Record<number, ApiSchemas>>)[apiKey];
}

export * from './add-offsets-to-txn.js';
export * from './add-partitions-to-txn.js';
export * from './alter-configs.js';
export * from './api-versions.js';
export * from './create-partitions.js';
export * from './create-topics.js';
export * from './delete-groups.js';
export * from './delete-records.js';
export * from './delete-topics.js';
export * from './describe-configs.js';
export * from './describe-groups.js';
export * from './end-txn.js';
export * from './fetch.js';
export * from './find-coordinator.js';
export * from './heartbeat.js';
export * from './init-producer-id.js';
export * from './join-group.js';
export * from './leave-group.js';
export * from './list-groups.js';
export * from './list-offsets.js';
export * from './metadata.js';
export * from './offset-commit.js';
export * from './offset-fetch.js';
export * from './produce.js';
export * from './sync-group.js';
export * from './txn-offset-commit.js';
