import {ApiVersionsResponseSchema} from '../protocol/messages/api-versions.js';
import {ErrorCode} from '../protocol/errors.js';
import {encodeResponseHeader} from '../protocol/header.js';
import {Writer} from '../protocol/primitives.js';
import {encodeMessage} from '../protocol/schema.js';
import {addOffsetsToTxnHandler} from './add-offsets-to-txn.js';
import {addPartitionsToTxnHandler} from './add-partitions-to-txn.js';
import {alterConfigsHandler} from './alter-configs.js';
import {advertisedVersions, apiVersionsHandler} from './api-versions.js';
import {createPartitionsHandler} from './create-partitions.js';
import {createTopicsHandler} from './create-topics.js';
import {deleteRecordsHandler} from './delete-records.js';
import {deleteTopicsHandler} from './delete-topics.js';
import {describeConfigsHandler} from './describe-configs.js';
import {endTxnHandler} from './end-txn.js';
import {fetchHandler} from './fetch.js';
import {deleteGroupsHandler} from './delete-groups.js';
import {describeGroupsHandler} from './describe-groups.js';
import {findCoordinatorHandler} from './find-coordinator.js';
import {heartbeatHandler} from './heartbeat.js';
import {initProducerIdHandler} from './init-producer-id.js';
import {joinGroupHandler} from './join-group.js';
import {leaveGroupHandler} from './leave-group.js';
import {listGroupsHandler} from './list-groups.js';
import {offsetCommitHandler} from './offset-commit.js';
import {offsetFetchHandler} from './offset-fetch.js';
import {syncGroupHandler} from './sync-group.js';
import {txnOffsetCommitHandler} from './txn-offset-commit.js';
import {listOffsetsHandler} from './list-offsets.js';
import {metadataHandler} from './metadata.js';
import {produceHandler} from './produce.js';
import {saslAuthenticateHandler} from './sasl-authenticate.js';
import {saslHandshakeHandler} from './sasl-handshake.js';
import {createAclsHandler} from './create-acls.js';
import {describeAclsHandler} from './describe-acls.js';
import {deleteAclsHandler} from './delete-acls.js';
import {describeUserScramCredentialsHandler} from './describe-user-scram-credentials.js';
import {alterUserScramCredentialsHandler} from './alter-user-scram-credentials.js';
import type {ApiHandler} from './types.js';

/** Every API this broker answers, keyed by API key; ApiVersions advertises exactly these. */
export function createHandlers(extra: ApiHandler[] = []): Map<number, ApiHandler> {
  const handlers = new Map<number, ApiHandler>();
  for (const h of [
    produceHandler,
    fetchHandler,
    listOffsetsHandler,
    metadataHandler,
    createTopicsHandler,
    deleteTopicsHandler,
    deleteRecordsHandler,
    describeConfigsHandler,
    alterConfigsHandler,
    createPartitionsHandler,
    listGroupsHandler,
    findCoordinatorHandler,
    joinGroupHandler,
    syncGroupHandler,
    heartbeatHandler,
    leaveGroupHandler,
    offsetCommitHandler,
    offsetFetchHandler,
    describeGroupsHandler,
    deleteGroupsHandler,
    initProducerIdHandler,
    addPartitionsToTxnHandler,
    addOffsetsToTxnHandler,
    endTxnHandler,
    txnOffsetCommitHandler,
    saslHandshakeHandler,
    saslAuthenticateHandler,
    describeAclsHandler,
    createAclsHandler,
    deleteAclsHandler,
    describeUserScramCredentialsHandler,
    alterUserScramCredentialsHandler,
    ...extra,
  ]) {
    handlers.set(h.apiKey, h);
  }
  handlers.set(18, apiVersionsHandler(handlers));
  return handlers;
}

const API_VERSIONS = 18;

/**
 * The answer to a request whose API key or version we do not implement. For
 * ApiVersions: a v0 response with UNSUPPORTED_VERSION and our list (clients
 * then retry with a version we know). For anything else Kafka has no common
 * error layout, so the answer is the correlation id and UNSUPPORTED_VERSION as
 * the first field; the connection stays open either way.
 */
export function unsupportedResponse(handlers: Map<number, ApiHandler>, apiKey: number, _apiVersion: number, correlationId: number): Buffer {
  const writer = new Writer();
  writer.writeInt32(0);
  encodeResponseHeader(writer, correlationId, 0);
  if (apiKey === API_VERSIONS) {
    encodeMessage(ApiVersionsResponseSchema, 0, {errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: advertisedVersions(handlers)}, writer);
  } else {
    writer.writeInt16(ErrorCode.UNSUPPORTED_VERSION);
  }
  const out = writer.toBuffer();
  out.writeInt32BE(out.length - 4, 0);
  return out;
}
