/**
 * Request and response headers.
 * Request header v1: apiKey int16, apiVersion int16, correlationId int32, clientId nullable
 * string; v2 (used by flexible request versions) appends a tagged-field section. clientId keeps
 * its int16 length even in v2, so any broker can read the header of any ApiVersions request.
 * Response header v0: correlationId; v1 (flexible versions) appends tagged fields, except for
 * ApiVersions, whose response header is always v0 so a client can parse the answer before it
 * knows what the broker speaks.
 */
import {ApiKey, apiSchemas} from './messages/index.js';
import type {Reader, Writer} from './primitives.js';
import {isFlexible} from './schema.js';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/**
 * Flexibility follows Kafka's (open-ended) flexibleVersions, not our advertised range, so the
 * header of a too-new request (e.g. ApiVersions v4) still parses and can be answered with
 * UNSUPPORTED_VERSION. Unknown API keys are read as v1: the fields we need come first anyway.
 */
export function requestHeaderVersion(apiKey: number, apiVersion: number): 1 | 2 {
  const api = apiSchemas(apiKey);
  return api && isFlexible(api.request, apiVersion) ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 {
  if (apiKey === ApiKey.ApiVersions) return 0;
  const api = apiSchemas(apiKey);
  return api && isFlexible(api.response, apiVersion) ? 1 : 0;
}

/** Reads the header and leaves `reader` at the start of the body. */
export function decodeRequestHeader(reader: Reader): RequestHeader {
  const apiKey = reader.readInt16();
  const apiVersion = reader.readInt16();
  const correlationId = reader.readInt32();
  const clientId = reader.readNullableString();
  if (requestHeaderVersion(apiKey, apiVersion) === 2) reader.skipTaggedFields();
  return {apiKey, apiVersion, correlationId, clientId};
}

/** Writes a response header of the given version (see responseHeaderVersion). */
export function encodeResponseHeader(writer: Writer, correlationId: number, headerVersion: 0 | 1): Writer {
  writer.writeInt32(correlationId);
  if (headerVersion >= 1) writer.writeEmptyTaggedFields();
  return writer;
}
