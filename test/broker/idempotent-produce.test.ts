import {rmSync} from 'node:fs';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {ApiVersionsRequestSchema, ApiVersionsResponseSchema} from '../../src/broker/protocol/messages/api-versions.js';
import {DeleteTopicsRequestSchema, DeleteTopicsResponseSchema} from '../../src/broker/protocol/messages/delete-topics.js';
import {DeleteRecordsRequestSchema, DeleteRecordsResponseSchema} from '../../src/broker/protocol/messages/delete-records.js';
import {InitProducerIdRequestSchema, InitProducerIdResponseSchema} from '../../src/broker/protocol/messages/init-producer-id.js';
import {ListOffsetsRequestSchema, ListOffsetsResponseSchema} from '../../src/broker/protocol/messages/list-offsets.js';
import {MetadataRequestSchema, MetadataResponseSchema} from '../../src/broker/protocol/messages/metadata.js';
import {ProduceRequestSchema, ProduceResponseSchema} from '../../src/broker/protocol/messages/produce.js';
import {ErrorCode} from '../../src/broker/protocol/errors.js';
import {encodeRecordBatch} from '../../src/broker/protocol/record-batch.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {spawnBrokerProcess, type BrokerProcess} from '../helpers/broker-process.js';
import {RawClient} from '../helpers/raw-client.js';

/** A batch of `count` records from an idempotent producer; the same arguments give the same bytes. */
function idempotentBatch(producerId: number, producerEpoch: number, baseSequence: number, count = 2): Buffer {
  const records = Array.from({length: count}, (_, i) => ({key: `k${baseSequence + i}`, value: `v${baseSequence + i}`}));
  return encodeRecordBatch({records, producerId, producerEpoch, baseSequence, baseTimestamp: 1_700_000_000_000});
}

async function produce(client: RawClient, topic: string, records: Buffer): Promise<{errorCode: number; baseOffset: number}> {
  const {response} = await client.request(ProduceRequestSchema, ProduceResponseSchema, 7, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 5000,
    topicData: [{name: topic, partitionData: [{index: 0, records}]}],
  });
  const p = response.responses[0]!.partitionResponses[0]!;
  return {errorCode: p.errorCode, baseOffset: Number(p.baseOffset)};
}

async function highWatermark(client: RawClient, topic: string): Promise<number> {
  const {response} = await client.request(ListOffsetsRequestSchema, ListOffsetsResponseSchema, 1, {
    replicaId: -1,
    topics: [{name: topic, partitions: [{partitionIndex: 0, timestamp: -1n}]}],
  });
  return Number(response.topics[0]!.partitions[0]!.offset);
}

async function initProducerId(client: RawClient, transactionalId: string | null = null) {
  const {response} = await client.request(InitProducerIdRequestSchema, InitProducerIdResponseSchema, 1, {transactionalId, transactionTimeoutMs: 60_000});
  return {errorCode: response.errorCode, producerId: Number(response.producerId), producerEpoch: response.producerEpoch};
}

async function createTopic(client: RawClient, topic: string): Promise<void> {
  const {response} = await client.request(MetadataRequestSchema, MetadataResponseSchema, 4, {topics: [{name: topic}], allowAutoTopicCreation: true});
  expect(response.topics[0]!.errorCode).toBe(ErrorCode.NONE);
}

describe('idempotent produce over the wire', () => {
  let tb: TestBroker;
  let client: RawClient;
  beforeAll(async () => {
    tb = await startTestBroker();
    client = await RawClient.connect(tb.bootstrap);
  });
  afterAll(async () => {
    client.close();
    await tb.stop();
  });

  it('advertises InitProducerId v0–1 and hands out fresh ids at epoch 0', async () => {
    const {response} = await client.request(ApiVersionsRequestSchema, ApiVersionsResponseSchema, 0, {clientSoftwareName: '', clientSoftwareVersion: ''});
    expect(response.apiKeys.find((k) => k.apiKey === 22)).toEqual({apiKey: 22, minVersion: 0, maxVersion: 1});
    const a = await initProducerId(client);
    const b = await initProducerId(client);
    expect(a).toMatchObject({errorCode: ErrorCode.NONE, producerEpoch: 0});
    expect(b.producerId).not.toBe(a.producerId);
  });

  it('gives a transactional id its own producer id; initialising it again bumps the epoch (fencing older instances)', async () => {
    const first = await initProducerId(client, 'tx-1');
    expect(first).toMatchObject({errorCode: ErrorCode.NONE, producerEpoch: 0});
    expect(await initProducerId(client, 'tx-1')).toEqual({errorCode: ErrorCode.NONE, producerId: first.producerId, producerEpoch: 1});
  });

  it('answers the same batch twice with the same base offset and appends it once', async () => {
    await createTopic(client, 'idem.dup');
    const {producerId} = await initProducerId(client);
    expect(await produce(client, 'idem.dup', idempotentBatch(producerId, 0, 0))).toEqual({errorCode: 0, baseOffset: 0});
    expect(await produce(client, 'idem.dup', idempotentBatch(producerId, 0, 2))).toEqual({errorCode: 0, baseOffset: 2});
    expect(await highWatermark(client, 'idem.dup')).toBe(4);
    expect(await produce(client, 'idem.dup', idempotentBatch(producerId, 0, 2))).toEqual({errorCode: 0, baseOffset: 2});
    expect(await produce(client, 'idem.dup', idempotentBatch(producerId, 0, 0))).toEqual({errorCode: 0, baseOffset: 0});
    expect(await highWatermark(client, 'idem.dup')).toBe(4);
  });

  it('refuses a sequence gap (45) and a lower epoch (47), accepts a new epoch at sequence 0', async () => {
    await createTopic(client, 'idem.seq');
    const {producerId} = await initProducerId(client);
    expect((await produce(client, 'idem.seq', idempotentBatch(producerId, 1, 0))).errorCode).toBe(ErrorCode.NONE);
    expect((await produce(client, 'idem.seq', idempotentBatch(producerId, 1, 5))).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect((await produce(client, 'idem.seq', idempotentBatch(producerId, 0, 2))).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect((await produce(client, 'idem.seq', idempotentBatch(producerId, 2, 7))).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await produce(client, 'idem.seq', idempotentBatch(producerId, 2, 0))).toEqual({errorCode: 0, baseOffset: 2});
    expect(await produce(client, 'idem.seq', idempotentBatch(producerId, 2, 2))).toEqual({errorCode: 0, baseOffset: 4});
    expect(await highWatermark(client, 'idem.seq')).toBe(6);
    expect(tb.logs.join('\n')).toMatch(/idem\.seq-0 refused: producer \d+ epoch 1 sent sequence 5, expected 2/);
  });

  it('refuses control batches from clients (87), idempotent or not', async () => {
    await createTopic(client, 'idem.control');
    const control = encodeRecordBatch({records: [{key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 0])}], control: true, producerId: 1, producerEpoch: 0, baseSequence: 0});
    expect((await produce(client, 'idem.control', control)).errorCode).toBe(ErrorCode.INVALID_RECORD);
    const plainControl = encodeRecordBatch({records: [{value: 'x'}], control: true});
    expect((await produce(client, 'idem.control', plainControl)).errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(await highWatermark(client, 'idem.control')).toBe(0);
  });

  it('gives a corrupt resend its corruption error, not a duplicate answer', async () => {
    await createTopic(client, 'idem.corrupt');
    const {producerId} = await initProducerId(client);
    expect((await produce(client, 'idem.corrupt', idempotentBatch(producerId, 0, 0))).errorCode).toBe(ErrorCode.NONE);
    const damaged = idempotentBatch(producerId, 0, 0);
    damaged[damaged.length - 1]! ^= 0xff;
    expect((await produce(client, 'idem.corrupt', damaged)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('does not deduplicate against records deleted with DeleteRecords', async () => {
    await createTopic(client, 'idem.deleted');
    const {producerId} = await initProducerId(client);
    await produce(client, 'idem.deleted', idempotentBatch(producerId, 0, 0));
    const {response} = await client.request(DeleteRecordsRequestSchema, DeleteRecordsResponseSchema, 1, {
      topics: [{name: 'idem.deleted', partitions: [{partitionIndex: 0, offset: -1n}]}],
      timeoutMs: 5000,
    });
    expect(response.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);
    // The batch at offset 0 is gone: its resend is new data, not an answer pointing below the log start.
    expect(await produce(client, 'idem.deleted', idempotentBatch(producerId, 0, 0))).toEqual({errorCode: 0, baseOffset: 2});
  });

  it("forgets a deleted topic's producers: the topic created again starts fresh", async () => {
    await createTopic(client, 'idem.recreated');
    const {producerId} = await initProducerId(client);
    await produce(client, 'idem.recreated', idempotentBatch(producerId, 0, 0));
    await produce(client, 'idem.recreated', idempotentBatch(producerId, 0, 2));
    const {response} = await client.request(DeleteTopicsRequestSchema, DeleteTopicsResponseSchema, 1, {topicNames: ['idem.recreated'], timeoutMs: 5000});
    expect(response.responses[0]!.errorCode).toBe(ErrorCode.NONE);
    await createTopic(client, 'idem.recreated');
    expect(await produce(client, 'idem.recreated', idempotentBatch(producerId, 0, 2))).toEqual({errorCode: 0, baseOffset: 0});
    expect(await highWatermark(client, 'idem.recreated')).toBe(2);
  });
});

describe('idempotent produce across a broker crash', () => {
  const brokers: BrokerProcess[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const b of brokers.splice(0)) await b.kill();
    for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true});
  });

  it('still deduplicates a resent batch after SIGKILL and restart, and never reuses a producer id', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const first = await spawnBrokerProcess(dir);
    brokers.push(first);
    let client = await RawClient.connect(first.bootstrap);
    await createTopic(client, 'idem.crash');
    const {producerId} = await initProducerId(client);
    for (let seq = 0; seq < 20; seq += 2) {
      expect((await produce(client, 'idem.crash', idempotentBatch(producerId, 0, seq))).errorCode).toBe(ErrorCode.NONE);
    }
    client.close();
    await first.kill();
    brokers.splice(0);

    const second = await spawnBrokerProcess(dir);
    brokers.push(second);
    client = await RawClient.connect(second.bootstrap);
    expect(await produce(client, 'idem.crash', idempotentBatch(producerId, 0, 18))).toEqual({errorCode: 0, baseOffset: 18});
    expect(await highWatermark(client, 'idem.crash')).toBe(20);
    expect((await produce(client, 'idem.crash', idempotentBatch(producerId, 0, 24))).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await produce(client, 'idem.crash', idempotentBatch(producerId, 0, 20))).toEqual({errorCode: 0, baseOffset: 20});
    const next = await initProducerId(client);
    expect(next.producerId).toBeGreaterThan(producerId);
    client.close();
  });
});
