import {describe, expect, it} from 'vitest';
import {
  decodeRequestHeader,
  encodeResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
} from './header.js';
import {ApiKey} from './messages/index.js';
import {ProtocolDecodeError, Reader, Writer} from './primitives.js';

const reader = (hexBytes: string) => new Reader(Buffer.from(hexBytes, 'hex'));

describe('header versions', () => {
  it('uses request header v2 / response header v1 only for flexible versions', () => {
    expect(requestHeaderVersion(ApiKey.Metadata, 6)).toBe(1);
    expect(requestHeaderVersion(ApiKey.Metadata, 9)).toBe(2);
    expect(responseHeaderVersion(ApiKey.Metadata, 6)).toBe(0);
    expect(responseHeaderVersion(ApiKey.Metadata, 9)).toBe(1);
    expect(requestHeaderVersion(ApiKey.Produce, 7)).toBe(1);
    expect(requestHeaderVersion(ApiKey.OffsetCommit, 8)).toBe(2);
  });

  it('keeps the ApiVersions response header at v0 even when flexible', () => {
    expect(requestHeaderVersion(ApiKey.ApiVersions, 3)).toBe(2);
    expect(requestHeaderVersion(ApiKey.ApiVersions, 4)).toBe(2); // too new, still parsable
    expect(responseHeaderVersion(ApiKey.ApiVersions, 3)).toBe(0);
  });

  it('reads unknown API keys as header v1', () => {
    expect(requestHeaderVersion(999, 5)).toBe(1);
    expect(responseHeaderVersion(999, 5)).toBe(0);
  });
});

describe('decodeRequestHeader', () => {
  it('reads header v1 and stops at the body', () => {
    // Metadata v1, correlation 7, clientId "kpat", body: null topic array
    const r = reader('0003' + '0001' + '00000007' + '0004' + '6b706174' + 'ffffffff');
    expect(decodeRequestHeader(r)).toEqual({apiKey: 3, apiVersion: 1, correlationId: 7, clientId: 'kpat'});
    expect(r.remaining).toBe(4);
  });

  it('reads a null clientId', () => {
    expect(decodeRequestHeader(reader('0012000000000001ffff')).clientId).toBeNull();
  });

  it('skips header v2 tagged fields; clientId keeps its int16 length', () => {
    // ApiVersions v3, correlation 1, clientId "c", one tagged field (tag 0, 1 byte), body "00 00 00"
    const r = reader('0012' + '0003' + '00000001' + '0001' + '63' + '01' + '00' + '01' + 'ff' + '000000');
    expect(decodeRequestHeader(r)).toEqual({apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'c'});
    expect(r.remaining).toBe(3);
  });

  it('throws ProtocolDecodeError on a truncated header', () => {
    expect(() => decodeRequestHeader(reader('00120003000000'))).toThrow(ProtocolDecodeError);
    expect(() => decodeRequestHeader(reader('0012000300000001000563'))).toThrow(ProtocolDecodeError);
  });
});

describe('encodeResponseHeader', () => {
  it('writes v0 as the correlation id and v1 with an empty tagged section', () => {
    expect(encodeResponseHeader(new Writer(), 258, 0).toBuffer().toString('hex')).toBe('00000102');
    expect(encodeResponseHeader(new Writer(), -1, 1).toBuffer().toString('hex')).toBe('ffffffff00');
  });
});
