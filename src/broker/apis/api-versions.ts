/**
 * ApiVersions (key 18), v0–v3. Lists exactly the APIs and versions this broker
 * implements (clients pick min(their max, ours) without checking our minimum).
 * v3 is flexible (librdkafka's first request); its response header is still v0.
 * A version above 3 is answered in v0 format with UNSUPPORTED_VERSION and the
 * list, on the same connection, so the client can retry with a version we know.
 */
import {ApiVersionsRequestSchema, ApiVersionsResponseSchema, type ApiVersionsRequest, type ApiVersionsResponse} from '../protocol/messages/api-versions.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler, type ApiHandler} from './types.js';

export function advertisedVersions(handlers: Map<number, ApiHandler>): ApiVersionsResponse['apiKeys'] {
  return [...handlers.values()]
    .sort((a, b) => a.apiKey - b.apiKey)
    .map((h) => ({apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion}));
}

export function apiVersionsHandler(handlers: Map<number, ApiHandler>): ApiHandler {
  return defineHandler<ApiVersionsRequest, ApiVersionsResponse>({
    apiKey: 18,
    name: 'ApiVersions',
    minVersion: 0,
    maxVersion: 3,
    request: ApiVersionsRequestSchema,
    response: ApiVersionsResponseSchema,
    handle() {
      return {errorCode: ErrorCode.NONE, apiKeys: advertisedVersions(handlers), throttleTimeMs: 0};
    },
  });
}
