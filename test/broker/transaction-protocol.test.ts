/**
 * Transactions at the protocol level, with exact requests: the rules of Produce inside and
 * outside a transaction, EndTxn retries, staged offsets, timeouts, the aborted list of a
 * read_committed Fetch, and what a restart finishes.
 */
import {appendFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import * as m from '../../src/broker/protocol/messages/index.js';
import {ErrorCode} from '../../src/broker/protocol/errors.js';
import {Reader, Writer} from '../../src/broker/protocol/primitives.js';
import {encodeRecordBatch} from '../../src/broker/protocol/record-batch.js';
import {decodeMessage, encodeMessage} from '../../src/broker/protocol/schema.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {until} from '../helpers/groups.js';
import {kcat} from '../helpers/kcat.js';
import {RawClient} from '../helpers/raw-client.js';

interface Producer {
  txid: string;
  producerId: number;
  epoch: number;
  /** Next sequence per partition. */
  seq: Map<string, number>;
}

/** Exact transactional requests over one raw connection. */
class Txn {
  constructor(readonly c: RawClient) {}

  async createTopic(name: string, configs: Array<{name: string; value: string}> = []): Promise<void> {
    const {response} = await this.c.request(m.CreateTopicsRequestSchema, m.CreateTopicsResponseSchema, 1, {
      topics: [{name, numPartitions: 1, replicationFactor: 1, assignments: [], configs}],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(response.topics[0]!.errorCode).toBe(0);
  }

  async init(txid: string, timeoutMs = 60_000): Promise<{errorCode: number; producer: Producer}> {
    const {response} = await this.c.request(m.InitProducerIdRequestSchema, m.InitProducerIdResponseSchema, 1, {transactionalId: txid, transactionTimeoutMs: timeoutMs});
    return {errorCode: response.errorCode, producer: {txid, producerId: Number(response.producerId), epoch: response.producerEpoch, seq: new Map()}};
  }

  async addPartition(p: Producer, topic: string): Promise<number> {
    const {response} = await this.c.request(m.AddPartitionsToTxnRequestSchema, m.AddPartitionsToTxnResponseSchema, 1, {
      transactionalId: p.txid,
      producerId: BigInt(p.producerId),
      producerEpoch: p.epoch,
      topics: [{name: topic, partitions: [0]}],
    });
    return response.results[0]!.results[0]!.errorCode;
  }

  /** Produces `values` as one batch; transactional unless told. */
  async produce(p: Producer | null, topic: string, values: string[], transactional = true): Promise<{errorCode: number; baseOffset: number}> {
    const seq = p?.seq.get(topic) ?? 0;
    const records = encodeRecordBatch({
      records: values.map((value) => ({value})),
      producerId: p?.producerId ?? -1,
      producerEpoch: p?.epoch ?? -1,
      baseSequence: p ? seq : -1,
      transactional: p !== null && transactional,
    });
    const {response} = await this.c.request(m.ProduceRequestSchema, m.ProduceResponseSchema, 7, {
      transactionalId: p && transactional ? p.txid : null,
      acks: -1,
      timeoutMs: 5000,
      topicData: [{name: topic, partitionData: [{index: 0, records}]}],
    });
    const r = response.responses[0]!.partitionResponses[0]!;
    if (p && r.errorCode === 0) p.seq.set(topic, seq + values.length);
    return {errorCode: r.errorCode, baseOffset: Number(r.baseOffset)};
  }

  async end(p: Producer, commit: boolean): Promise<number> {
    const {response} = await this.c.request(m.EndTxnRequestSchema, m.EndTxnResponseSchema, 1, {
      transactionalId: p.txid,
      producerId: BigInt(p.producerId),
      producerEpoch: p.epoch,
      committed: commit,
    });
    return response.errorCode;
  }

  async addOffsets(p: Producer, groupId: string): Promise<number> {
    const {response} = await this.c.request(m.AddOffsetsToTxnRequestSchema, m.AddOffsetsToTxnResponseSchema, 1, {
      transactionalId: p.txid,
      producerId: BigInt(p.producerId),
      producerEpoch: p.epoch,
      groupId,
    });
    return response.errorCode;
  }

  async txnOffsetCommit(p: Producer, groupId: string, topic: string, offset: number): Promise<number> {
    const {response} = await this.c.request(m.TxnOffsetCommitRequestSchema, m.TxnOffsetCommitResponseSchema, 2, {
      transactionalId: p.txid,
      groupId,
      producerId: BigInt(p.producerId),
      producerEpoch: p.epoch,
      topics: [{name: topic, partitions: [{partitionIndex: 0, committedOffset: BigInt(offset), committedLeaderEpoch: -1, committedMetadata: null}]}],
    });
    return response.topics[0]!.partitions[0]!.errorCode;
  }

  async committedOffset(groupId: string, topic: string): Promise<number> {
    const {response} = await this.c.request(m.OffsetFetchRequestSchema, m.OffsetFetchResponseSchema, 1, {groupId, topics: [{name: topic, partitionIndexes: [0]}]});
    return Number(response.topics[0]!.partitions[0]!.committedOffset);
  }

  async latest(topic: string, isolationLevel: 0 | 1): Promise<number> {
    const {response} = await this.c.request(m.ListOffsetsRequestSchema, m.ListOffsetsResponseSchema, 2, {
      replicaId: -1,
      isolationLevel,
      topics: [{name: topic, partitions: [{partitionIndex: 0, timestamp: -1n}]}],
    });
    return Number(response.topics[0]!.partitions[0]!.offset);
  }

  async fetch(topic: string, offset: number, isolationLevel: 0 | 1, maxWaitMs = 0) {
    const {response} = await this.c.request(m.FetchRequestSchema, m.FetchResponseSchema, 11, {
      replicaId: -1,
      maxWaitMs,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{topic, partitions: [{partition: 0, currentLeaderEpoch: -1, fetchOffset: BigInt(offset), logStartOffset: -1n, partitionMaxBytes: 1 << 20}]}],
      forgottenTopicsData: [],
      rackId: '',
    });
    const p = response.responses[0]!.partitions[0]!;
    return {
      errorCode: p.errorCode,
      highWatermark: Number(p.highWatermark),
      lastStableOffset: Number(p.lastStableOffset),
      aborted: (p.abortedTransactions ?? []).map((a) => ({producerId: Number(a.producerId), firstOffset: Number(a.firstOffset)})),
      bytes: p.records?.length ?? 0,
    };
  }
}

/** A v1 request frame with a v1 header (pre-flexible), size prefix included. */
function frame(apiKey: number, correlationId: number, body: Buffer): Buffer {
  const w = new Writer();
  w.writeInt32(0).writeInt16(apiKey).writeInt16(1).writeInt32(correlationId).writeNullableString('raw-test');
  w.writeRaw(body);
  const out = w.toBuffer();
  out.writeInt32BE(out.length - 4, 0);
  return out;
}

const kcatValues = async (bootstrap: string, topic: string, isolation = 'read_committed') =>
  (await kcat(['-b', bootstrap, '-t', topic, '-C', '-e', '-q', '-X', `isolation.level=${isolation}`, '-f', '%s\\n'])).trimEnd().split('\n').filter((l) => l !== '');

let tb: TestBroker;
let t: Txn;
beforeAll(async () => {
  tb = await startTestBroker();
  t = new Txn(await RawClient.connect(tb.bootstrap));
});
afterAll(async () => {
  t.c.close();
  await tb.stop();
});

describe('the rules of a transaction', () => {
  it('produce needs the partition added; a plain batch may not bypass an open transaction; the LSO stays at its start', async () => {
    await t.createTopic('rules');
    await t.produce(null, 'rules', ['plain']);
    const {producer: p} = await t.init('rules-tx');
    expect(await t.produce(p, 'rules', ['x'])).toMatchObject({errorCode: ErrorCode.INVALID_TXN_STATE});
    expect(await t.addPartition(p, 'rules')).toBe(0);
    expect(await t.produce(p, 'rules', ['t0', 't1'])).toEqual({errorCode: 0, baseOffset: 1});
    expect(await t.produce(p, 'rules', ['sneaky'], false)).toMatchObject({errorCode: ErrorCode.INVALID_TXN_STATE});
    expect(await t.latest('rules', 1)).toBe(1);
    expect(await t.latest('rules', 0)).toBe(3);
    expect(await t.fetch('rules', 0, 1)).toMatchObject({highWatermark: 3, lastStableOffset: 1, aborted: []});
    expect(await t.end(p, true)).toBe(0);
    expect(await t.latest('rules', 1)).toBe(4);
    // A retried commit succeeds; the opposite result does not.
    expect(await t.end(p, true)).toBe(0);
    expect(await t.end(p, false)).toBe(ErrorCode.INVALID_TXN_STATE);
  });

  it('staged offsets reach OffsetFetch only when the transaction commits, never when it aborts', async () => {
    await t.createTopic('staged');
    const {producer: p} = await t.init('staged-tx');
    expect(await t.txnOffsetCommit(p, 'staged-group', 'staged', 5)).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(await t.addOffsets(p, 'staged-group')).toBe(0);
    expect(await t.txnOffsetCommit(p, 'staged-group', 'staged', 5)).toBe(0);
    expect(await t.committedOffset('staged-group', 'staged')).toBe(-1);
    expect(await t.end(p, false)).toBe(0);
    expect(await t.committedOffset('staged-group', 'staged')).toBe(-1);
    expect(await t.addOffsets(p, 'staged-group')).toBe(0);
    expect(await t.txnOffsetCommit(p, 'staged-group', 'staged', 7)).toBe(0);
    expect(await t.end(p, true)).toBe(0);
    expect(await t.committedOffset('staged-group', 'staged')).toBe(7);
  });

  it('a new InitProducerId fences the old epoch everywhere with 47; a timeout above 15 minutes is refused with 50', async () => {
    await t.createTopic('fence');
    const {producer: old} = await t.init('fence-tx');
    expect(await t.addPartition(old, 'fence')).toBe(0);
    expect(await t.produce(old, 'fence', ['old'])).toMatchObject({errorCode: 0});
    // The open transaction is aborted with markers; the caller retries.
    expect((await t.init('fence-tx')).errorCode).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    const {errorCode, producer: current} = await t.init('fence-tx');
    expect(errorCode).toBe(0);
    expect(current).toMatchObject({producerId: old.producerId, epoch: old.epoch + 2});
    expect(await t.produce(old, 'fence', ['late'])).toMatchObject({errorCode: ErrorCode.INVALID_PRODUCER_EPOCH});
    expect(await t.addPartition(old, 'fence')).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await t.end(old, true)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await t.latest('fence', 1)).toBe(await t.latest('fence', 0));
    expect((await t.init('fence-tx', 15 * 60 * 1000 + 1)).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
  });

  it('a transaction open past its timeout is aborted and its producer fenced', async () => {
    await t.createTopic('expire');
    const {producer: p} = await t.init('expire-tx', 300);
    expect(await t.addPartition(p, 'expire')).toBe(0);
    expect(await t.produce(p, 'expire', ['e0'])).toMatchObject({errorCode: 0});
    await until('the transaction to expire', async () => tb.broker.ctx.txns.describe('expire-tx')?.state, (s) => s === 'CompleteAbort');
    expect(tb.broker.ctx.txns.describe('expire-tx')?.epoch).toBe(p.epoch + 1);
    expect(await t.end(p, true)).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await t.fetch('expire', 0, 1)).toMatchObject({highWatermark: 2, lastStableOffset: 2, aborted: [{producerId: p.producerId, firstOffset: 0}]});
  });
});

describe('requests that arrive while a transaction is being completed', () => {
  it('AddOffsetsToTxn pipelined behind EndTxn waits for it instead of answering 51 (kafkajs does not retry it)', async () => {
    await t.createTopic('pipelined');
    const {producer: p} = await t.init('pipelined-tx');
    expect(await t.addPartition(p, 'pipelined')).toBe(0);
    expect(await t.produce(p, 'pipelined', ['x'])).toMatchObject({errorCode: 0});
    const ids = {transactionalId: p.txid, producerId: BigInt(p.producerId), producerEpoch: p.epoch};
    // Both in one write: the broker starts on AddOffsetsToTxn while EndTxn is still writing markers.
    t.c.writeRaw(
      Buffer.concat([
        frame(m.ApiKey.EndTxn, 901, encodeMessage(m.EndTxnRequestSchema, 1, {...ids, committed: true}).toBuffer()),
        frame(m.ApiKey.AddOffsetsToTxn, 902, encodeMessage(m.AddOffsetsToTxnRequestSchema, 1, {...ids, groupId: 'pipelined-group'}).toBuffer()),
      ]),
    );
    const answers = [];
    for (const schema of [m.EndTxnResponseSchema, m.AddOffsetsToTxnResponseSchema]) {
      const reader = new Reader(await t.c.nextFrame());
      reader.readInt32(); // correlation id
      answers.push(decodeMessage(schema, 1, reader).errorCode);
    }
    expect(answers).toEqual([0, 0]);
    expect(tb.broker.ctx.txns.describe('pipelined-tx')).toMatchObject({state: 'Ongoing', epoch: p.epoch});
    expect(await t.end(p, false)).toBe(0);
  });
});

describe('read_committed fetch', () => {
  it('lists the aborted transactions overlapping the range, by first offset, also when the fetch starts inside one', async () => {
    await t.createTopic('aborted');
    const {producer: a} = await t.init('aborted-a');
    const {producer: b} = await t.init('aborted-b');
    expect(await t.addPartition(a, 'aborted')).toBe(0);
    expect(await t.addPartition(b, 'aborted')).toBe(0);
    expect(await t.produce(a, 'aborted', ['a0', 'a1', 'a2'])).toMatchObject({baseOffset: 0}); // 0-2
    expect(await t.produce(b, 'aborted', ['b0'])).toMatchObject({baseOffset: 3}); // 3
    // b's marker (4) comes before a's (5), yet a's transaction starts first.
    expect(await t.end(b, false)).toBe(0);
    expect(await t.end(a, false)).toBe(0);
    expect(await t.produce(null, 'aborted', ['plain'])).toMatchObject({baseOffset: 6});
    const expected = [
      {producerId: a.producerId, firstOffset: 0},
      {producerId: b.producerId, firstOffset: 3},
    ];
    expect(await t.fetch('aborted', 0, 1)).toMatchObject({highWatermark: 7, lastStableOffset: 7, aborted: expected});
    // Starting inside a's transaction: the batch holding offset 1 comes whole, and a is listed.
    expect((await t.fetch('aborted', 1, 1)).aborted).toEqual(expected);
    // From 5 on, b has ended (its marker is at 4) and a has not (its marker is at 5).
    expect((await t.fetch('aborted', 5, 1)).aborted).toEqual([{producerId: a.producerId, firstOffset: 0}]);
    expect((await t.fetch('aborted', 6, 1)).aborted).toEqual([]);
    expect((await t.fetch('aborted', 0, 0)).aborted).toEqual([]);
    expect(await kcatValues(tb.bootstrap, 'aborted')).toEqual(['plain']);
  });

  it('a long poll wakes when a commit moves the LSO, not at its deadline', async () => {
    await t.createTopic('wake');
    const {producer: p} = await t.init('wake-tx');
    expect(await t.addPartition(p, 'wake')).toBe(0);
    expect(await t.produce(p, 'wake', ['w0'])).toMatchObject({errorCode: 0});
    const other = new Txn(await RawClient.connect(tb.bootstrap));
    try {
      const started = Date.now();
      const polled = other.fetch('wake', 0, 1, 20_000);
      await new Promise((r) => setTimeout(r, 200));
      expect(await t.end(p, true)).toBe(0);
      const result = await polled;
      expect(result.bytes).toBeGreaterThan(0);
      expect(result.lastStableOffset).toBe(2);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      other.c.close();
    }
  });
});

describe('across restarts', () => {
  it('many aborted and committed transactions across small segments read the same after a restart', async () => {
    const dataDir = tempDir();
    let broker = await startTestBroker({dataDir});
    let c = new Txn(await RawClient.connect(broker.bootstrap));
    const committed: string[] = [];
    try {
      await c.createTopic('segments', [{name: 'segment.bytes', value: '1024'}]);
      const {producer: p} = await c.init('segments-tx');
      for (let i = 0; i < 40; i++) {
        expect(await c.addPartition(p, 'segments')).toBe(0);
        const values = [`${i}-0`, `${i}-1`, `${i}-2`];
        expect(await c.produce(p, 'segments', values)).toMatchObject({errorCode: 0});
        const commit = i % 3 !== 1;
        if (commit) committed.push(...values);
        expect(await c.end(p, commit)).toBe(0);
      }
      expect(broker.broker.ctx.topics.partition('segments', 0)!.segmentCount).toBeGreaterThan(5);
      expect(await kcatValues(broker.bootstrap, 'segments')).toEqual(committed);
      c.c.close();
      await broker.stop();

      broker = await startTestBroker({dataDir});
      c = new Txn(await RawClient.connect(broker.bootstrap));
      expect(await kcatValues(broker.bootstrap, 'segments')).toEqual(committed);
      expect(await kcatValues(broker.bootstrap, 'segments', 'read_uncommitted')).toHaveLength(120);
      const aborted = (await c.fetch('segments', 0, 1)).aborted;
      expect(aborted.length).toBeGreaterThan(0);
      expect(aborted.map((a) => a.firstOffset)).toEqual([...aborted.map((a) => a.firstOffset)].sort((x, y) => x - y));
    } finally {
      c.c.close();
      await broker.stop();
    }
  });

  it('a commit interrupted after PrepareCommit was made durable is completed before the broker listens', async () => {
    const dataDir = tempDir();
    let broker = await startTestBroker({dataDir});
    let c = new Txn(await RawClient.connect(broker.bootstrap));
    try {
      await c.createTopic('prepared');
      const {producer: p} = await c.init('prepared-tx');
      expect(await c.addPartition(p, 'prepared')).toBe(0);
      expect(await c.produce(p, 'prepared', ['p0', 'p1'])).toMatchObject({errorCode: 0});
      c.c.close();
      await broker.stop();
      // What a crash right after the PrepareCommit write leaves: the journal says PrepareCommit, no marker in the log.
      const prepared = {k: 'txn', id: 'prepared-tx', pid: p.producerId, epoch: p.epoch, timeoutMs: 60000, state: 'PrepareCommit', partitions: [['prepared', 0]], groups: [], offsets: [], startedMs: Date.now(), ts: Date.now()};
      appendFileSync(join(dataDir, 'transactions.jsonl'), JSON.stringify(prepared) + '\n');

      broker = await startTestBroker({dataDir});
      c = new Txn(await RawClient.connect(broker.bootstrap));
      expect(broker.logs.join('\n')).toMatch(/prepared-tx: completing the commit interrupted by the last stop/);
      expect(await kcatValues(broker.bootstrap, 'prepared')).toEqual(['p0', 'p1']);
      expect(broker.broker.ctx.txns.describe('prepared-tx')).toMatchObject({state: 'CompleteCommit', epoch: p.epoch});
    } finally {
      c.c.close();
      await broker.stop();
    }
  });
});
