import {describe, expect, it} from 'vitest';
import {ApiKey, MetadataRequestSchema, ProduceRequestSchema} from '../../broker/protocol/messages/index.js';
import {Writer} from '../../broker/protocol/primitives.js';
import {encodeMessage} from '../../broker/protocol/schema.js';
import {expectsResponse} from './expects-response.js';

/** A request frame (without its length prefix) as a client sends it: header v1, then the body. */
function request(apiKey: number, version: number, body: Buffer): Buffer {
  return new Writer().writeInt16(apiKey).writeInt16(version).writeInt32(9).writeNullableString('client').writeRaw(body).toBuffer();
}

const produce = (version: number, acks: number, transactionalId: string | null) =>
  request(ApiKey.Produce, version, encodeMessage(ProduceRequestSchema, version, {transactionalId, acks, timeoutMs: 1000, topicData: []}).toBuffer());

describe('expectsResponse', () => {
  for (const version of [3, 5, 7]) {
    it(`Produce v${version}: acks=0 gets no response, acks=1 and -1 do (with or without a transactional id)`, () => {
      expect(expectsResponse(produce(version, 0, null))).toBe(false);
      expect(expectsResponse(produce(version, 0, 'txn-1'))).toBe(false);
      expect(expectsResponse(produce(version, 1, null))).toBe(true);
      expect(expectsResponse(produce(version, -1, 'txn-1'))).toBe(true);
    });
  }

  it('every other request gets a response', () => {
    expect(expectsResponse(request(ApiKey.Metadata, 1, encodeMessage(MetadataRequestSchema, 1, {topics: null}).toBuffer()))).toBe(true);
  });
});
