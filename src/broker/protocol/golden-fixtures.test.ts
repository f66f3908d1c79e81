/**
 * Whole frames (without the 4-byte size prefix) written out byte by byte, so what goes over
 * the wire is visible here rather than only implied by the encoders.
 */
import {describe, expect, it} from 'vitest';
import {decodeRequestHeader, encodeResponseHeader, responseHeaderVersion} from './header.js';
import {ApiKey, ApiVersionsRequestSchema, ApiVersionsResponseSchema, MetadataRequestSchema} from './messages/index.js';
import {Reader, Writer} from './primitives.js';
import {type Encodable, decodeMessage, encodeMessage} from './schema.js';

const bytes = (...parts: string[]) => Buffer.from(parts.join(''), 'hex');

describe('ApiVersions v3 request, shaped like librdkafka 2.0 first request', () => {
  const frame = bytes(
    '0012', // api key 18 (ApiVersions)
    '0003', // api version 3: flexible, so request header v2
    '00000001', // correlation id
    '0007', '72646b61666b61', // client id "rdkafka": int16 length even in header v2
    '00', // header tagged fields: none
    '0b', '6c696272646b61666b61', // client software name "librdkafka": compact (10 + 1)
    '06', '322e302e32', // client software version "2.0.2"
    '00', // body tagged fields: none
  );

  it('decodes header and body', () => {
    const reader = new Reader(frame);
    expect(decodeRequestHeader(reader)).toEqual({apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'rdkafka'});
    expect(decodeMessage(ApiVersionsRequestSchema, 3, reader)).toEqual({
      clientSoftwareName: 'librdkafka',
      clientSoftwareVersion: '2.0.2',
    });
    expect(reader.remaining).toBe(0);
  });

  it('re-encodes the body to the same bytes', () => {
    const body = encodeMessage(ApiVersionsRequestSchema, 3, {
      clientSoftwareName: 'librdkafka',
      clientSoftwareVersion: '2.0.2',
    }).toBuffer();
    const headerLength = 2 + 2 + 4 + (2 + 7) + 1;
    expect(body.toString('hex')).toBe(frame.subarray(headerLength).toString('hex'));
  });
});

describe('Metadata v0 request', () => {
  const frame = bytes(
    '0003', '0000', '00000002', // Metadata v0, correlation 2
    '0004', '6b706174', // client id "kpat"
    '00000001', // one topic (v0: an empty list would mean all topics)
    '0006', '6f7264657273', // "orders"
  );

  it('decodes header and body', () => {
    const reader = new Reader(frame);
    expect(decodeRequestHeader(reader)).toEqual({apiKey: 3, apiVersion: 0, correlationId: 2, clientId: 'kpat'});
    expect(decodeMessage(MetadataRequestSchema, 0, reader)).toEqual({
      topics: [{name: 'orders'}],
      allowAutoTopicCreation: true, // absent before v4: Kafka's default
    });
    expect(reader.remaining).toBe(0);
  });
});

describe('ApiVersions responses', () => {
  const apiKeys = [
    {apiKey: 0, minVersion: 3, maxVersion: 7},
    {apiKey: 18, minVersion: 0, maxVersion: 3},
  ];
  const respond = (version: number, body: Encodable<typeof ApiVersionsResponseSchema>) => {
    const writer = new Writer();
    encodeResponseHeader(writer, 1, responseHeaderVersion(ApiKey.ApiVersions, version));
    return encodeMessage(ApiVersionsResponseSchema, version, body, writer).toBuffer().toString('hex');
  };

  it('v0', () => {
    expect(respond(0, {errorCode: 0, apiKeys})).toBe(
      [
        '00000001', // response header v0: correlation id
        '0000', // error code
        '00000002', // two entries
        '0000' + '0003' + '0007', // Produce 3-7
        '0012' + '0000' + '0003', // ApiVersions 0-3
      ].join(''),
    );
  });

  it('v0 with UNSUPPORTED_VERSION, the fallback answer to a too-new request', () => {
    expect(respond(0, {errorCode: 35, apiKeys: []})).toBe('00000001' + '0023' + '00000000');
  });

  it('v3: flexible body behind a v0 header', () => {
    expect(respond(3, {errorCode: 0, apiKeys, throttleTimeMs: 0})).toBe(
      [
        '00000001', // response header stays v0 for ApiVersions
        '0000',
        '03', // compact array: 2 + 1
        '0000' + '0003' + '0007' + '00', // each entry ends with its tagged fields
        '0012' + '0000' + '0003' + '00',
        '00000000', // throttle time
        '00', // no tagged fields (features left at their defaults)
      ].join(''),
    );
  });

  it('v3 with tagged feature fields, in tag order', () => {
    const hex = respond(3, {
      errorCode: 0,
      apiKeys: [],
      zkMigrationReady: true,
      finalizedFeaturesEpoch: 5n,
    });
    expect(hex).toBe(
      '00000001' + '0000' + '01' + '00000000' + '02' + ('01' + '08' + '0000000000000005') + ('03' + '01' + '01'),
    );
  });
});
