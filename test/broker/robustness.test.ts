import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ApiVersionsRequestSchema, ApiVersionsResponseSchema} from '../../src/broker/protocol/messages/api-versions.js';
import {FetchRequestSchema, FetchResponseSchema} from '../../src/broker/protocol/messages/fetch.js';
import {MetadataRequestSchema, MetadataResponseSchema} from '../../src/broker/protocol/messages/metadata.js';
import {ProduceRequestSchema, ProduceResponseSchema} from '../../src/broker/protocol/messages/produce.js';
import {encodeRecordBatch} from '../../src/broker/protocol/record-batch.js';
import {Reader} from '../../src/broker/protocol/primitives.js';
import {encodeMessage} from '../../src/broker/protocol/schema.js';
import {ErrorCode} from '../../src/broker/protocol/errors.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {RawClient} from '../helpers/raw-client.js';

let tb: TestBroker;
let bystander: RawClient;

beforeAll(async () => {
  tb = await startTestBroker({maxRequestBytes: 64 * 1024});
  bystander = await RawClient.connect(tb.bootstrap);
});
afterAll(async () => {
  bystander.close();
  await tb.stop();
});

/** The second client keeps being served: a metadata round trip must work after each abuse. */
async function bystanderStillServed(): Promise<void> {
  const {response} = await bystander.request(MetadataRequestSchema, MetadataResponseSchema, 1, {topics: null});
  expect(response.brokers[0]!.port).toBe(tb.broker.port);
}

function produceBody(topic: string, records: Buffer) {
  return {transactionalId: null, acks: -1, timeoutMs: 1000, topicData: [{name: topic, partitionData: [{index: 0, records}]}]};
}

describe('bad input never takes the broker down', () => {
  it('closes a connection that sends garbage bytes', async () => {
    const c = await RawClient.connect(tb.bootstrap);
    c.writeRaw(Buffer.from('00000008ffffffffffffffff', 'hex')); // a frame whose header says api key -1, version -1, then nothing
    c.writeRaw(Buffer.from([0x00, 0x00, 0x00, 0x03, 0x01, 0x02, 0x03])); // a 3-byte frame: too short for a header
    await expect(c.nextFrame()).rejects.toThrow('connection closed');
    await bystanderStillServed();
  });

  it('closes a connection whose frame exceeds the request size limit', async () => {
    const c = await RawClient.connect(tb.bootstrap);
    const size = Buffer.alloc(4);
    size.writeInt32BE(10 * 1024 * 1024);
    c.writeRaw(size);
    await expect(c.nextFrame()).rejects.toThrow('connection closed');
    await bystanderStillServed();
  });

  it('answers an unknown API key with UNSUPPORTED_VERSION and keeps the connection', async () => {
    const c = await RawClient.connect(tb.bootstrap);
    const corr = c.send(9999, 0, Buffer.alloc(0));
    const frame = new Reader(await c.nextFrame());
    expect(frame.readInt32()).toBe(corr);
    expect(frame.readInt16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const {response} = await c.request(MetadataRequestSchema, MetadataResponseSchema, 0, {topics: []});
    expect(response.brokers).toHaveLength(1);
    c.close();
    await bystanderStillServed();
  });

  it('answers an unsupported version with UNSUPPORTED_VERSION; ApiVersions v4 gets the v0 list', async () => {
    const c = await RawClient.connect(tb.bootstrap);
    c.send(3, 42, Buffer.alloc(0)); // Metadata v42
    const frame = new Reader(await c.nextFrame());
    frame.readInt32();
    expect(frame.readInt16()).toBe(ErrorCode.UNSUPPORTED_VERSION);

    c.send(18, 4, Buffer.from([0x00, 0x00, 0x00])); // ApiVersions v4 (flexible header + empty body fields)
    const av = new Reader(await c.nextFrame());
    av.readInt32();
    expect(av.readInt16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const keys = av.readArray((r) => ({apiKey: r.readInt16(), min: r.readInt16(), max: r.readInt16()}));
    expect(keys.find((k) => k.apiKey === 18)).toEqual({apiKey: 18, min: 0, max: 3});

    const {response} = await c.request(ApiVersionsRequestSchema, ApiVersionsResponseSchema, 3, {clientSoftwareName: 'raw', clientSoftwareVersion: '1'});
    expect(response.errorCode).toBe(0);
    expect(response.apiKeys.find((k) => k.apiKey === 0)).toMatchObject({minVersion: 3, maxVersion: 7});
    c.close();
    await bystanderStillServed();
  });

  it('rejects a record batch with a bad CRC with CORRUPT_MESSAGE and writes nothing', async () => {
    const c = await RawClient.connect(tb.bootstrap);
    await c.request(MetadataRequestSchema, MetadataResponseSchema, 4, {topics: [{name: 'crc.v1'}], allowAutoTopicCreation: true});
    const batch = encodeRecordBatch({records: [{value: Buffer.from('hello')}]});
    const bad = Buffer.from(batch);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff; // flip a byte after the CRC
    const {response} = await c.request(ProduceRequestSchema, ProduceResponseSchema, 7, produceBody('crc.v1', bad));
    expect(response.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(tb.broker.ctx.topics.partition('crc.v1', 0)!.logEndOffset).toBe(0);
    // The good batch goes through on the same connection.
    const ok = await c.request(ProduceRequestSchema, ProduceResponseSchema, 7, produceBody('crc.v1', batch));
    expect(ok.response.responses[0]!.partitionResponses[0]).toMatchObject({errorCode: 0, baseOffset: 0n});
    c.close();
    await bystanderStillServed();
  });

  it('rejects a batch with a truncated body inside a well-formed request', async () => {
    const c = await RawClient.connect(tb.bootstrap);
    const batch = encodeRecordBatch({records: [{value: Buffer.from('x')}]});
    const {response} = await c.request(ProduceRequestSchema, ProduceResponseSchema, 7, produceBody('crc.v1', batch.subarray(0, batch.length - 3)));
    expect(response.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    c.close();
    await bystanderStillServed();
  });
});

describe('long poll', () => {
  const fetchBody = (topic: string, offset: bigint, maxWaitMs: number) => ({
    replicaId: -1,
    maxWaitMs,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 1,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{topic, partitions: [{partition: 0, currentLeaderEpoch: -1, fetchOffset: offset, logStartOffset: -1n, partitionMaxBytes: 1 << 20}]}],
    forgottenTopicsData: [],
    rackId: '',
  });

  it('waits max_wait_ms on an empty partition, and no longer', async () => {
    const c = await RawClient.connect(tb.bootstrap);
    await c.request(MetadataRequestSchema, MetadataResponseSchema, 4, {topics: [{name: 'poll.v1'}], allowAutoTopicCreation: true});
    const started = performance.now();
    const {response} = await c.request(FetchRequestSchema, FetchResponseSchema, 11, fetchBody('poll.v1', 0n, 500));
    const elapsed = performance.now() - started;
    expect(response.responses[0]!.partitions[0]!.records?.length ?? 0).toBe(0);
    expect(response.responses[0]!.partitions[0]!.abortedTransactions).toEqual([]);
    expect(elapsed).toBeGreaterThanOrEqual(490);
    expect(elapsed).toBeLessThan(800);
    c.close();
  });

  it('returns early when a record arrives', async () => {
    const c = await RawClient.connect(tb.bootstrap);
    const producer = await RawClient.connect(tb.bootstrap);
    const started = performance.now();
    const pending = c.request(FetchRequestSchema, FetchResponseSchema, 11, fetchBody('poll.v1', 0n, 5000));
    await new Promise((r) => setTimeout(r, 150));
    await producer.request(ProduceRequestSchema, ProduceResponseSchema, 7, produceBody('poll.v1', encodeRecordBatch({records: [{value: Buffer.from('wake')}]})));
    const {response} = await pending;
    const elapsed = performance.now() - started;
    const part = response.responses[0]!.partitions[0]!;
    expect(part.records!.length).toBeGreaterThan(0);
    expect(part.highWatermark).toBe(1n);
    expect(part.lastStableOffset).toBe(1n);
    expect(elapsed).toBeLessThan(1000);
    c.close();
    producer.close();
  });

  it('answers pipelined requests in order while a fetch is parked', async () => {
    const c = await RawClient.connect(tb.bootstrap);
    await c.request(MetadataRequestSchema, MetadataResponseSchema, 4, {topics: [{name: 'idle.v1'}], allowAutoTopicCreation: true});
    const fetchCorr = c.send(1, 11, encodeMessage(FetchRequestSchema, 11, fetchBody('idle.v1', 0n, 300)).toBuffer());
    const metaCorr = c.send(3, 1, Buffer.from([0xff, 0xff, 0xff, 0xff])); // Metadata v1, null topics
    const first = new Reader(await c.nextFrame()).readInt32();
    const second = new Reader(await c.nextFrame()).readInt32();
    expect([first, second]).toEqual([fetchCorr, metaCorr]);
    c.close();
  });
});
