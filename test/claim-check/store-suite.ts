import {createHash, randomBytes} from 'node:crypto';
import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {EventStream} from '../../src/core/event-stream.js';
import {Publisher} from '../../src/kafka/publisher.js';
import {RecordConsumer} from '../../src/kafka/record-consumer.js';
import type {ConsumedRecord} from '../../src/kafka/records.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import type {BlobStore} from '../../src/patterns/claim-check/blob-store.js';
import {checkIn} from '../../src/patterns/claim-check/check-in.js';
import {claimCheckHandler} from '../../src/patterns/claim-check/consumer.js';
import {collectGarbage} from '../../src/patterns/claim-check/gc.js';
import {BlobStores} from '../../src/patterns/claim-check/open-store.js';
import {CLAIM_CHECK_HEADER, parseReference} from '../../src/patterns/claim-check/reference.js';
import {deadLetterHandler} from '../../src/patterns/dead-letter/dead-letter-handler.js';
import type {PatternEvent} from '../../src/patterns/events.js';
import {DltHeader, headerNumber, headerText, KpatHeader} from '../../src/patterns/headers.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {until} from '../helpers/groups.js';
import {readTopic} from '../helpers/read-topic.js';

const MIB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface StoreUnderTest {
  store: BlobStore;
  /** A BlobStores that opens this kind of store from a reference (S3 needs the endpoint). */
  stores: BlobStores;
  close(): Promise<void>;
}

/**
 * The behaviour every blob store must have, run against each one: the same
 * tests for the local folder and for S3 (an S3-compatible server).
 */
export function blobStoreSuite(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`claim check with the ${name} store`, () => {
    let tb: TestBroker;
    let s: StoreUnderTest;
    let publisher: Publisher;
    let topicNo = 0;
    const topicName = (what: string) => `cc.${name}.${what}.${++topicNo}`;

    beforeAll(async () => {
      tb = await startTestBroker({retentionCheckIntervalMs: 100});
      s = await open();
      publisher = await Publisher.connect(tb.conn);
    });
    afterAll(async () => {
      await publisher.close();
      await s.close();
      await tb.stop();
    });

    /** Checks a payload in and sends what check-in answers; the record's offset. */
    async function produce(topic: string, payload: Buffer, opts: {timestamp?: number; thresholdBytes?: number} = {}) {
      const c = await checkIn(payload, topic, {store: s.store, thresholdBytes: opts.thresholdBytes ?? 900 * 1024, contentType: 'application/octet-stream'});
      const at = await publisher.sendOne({topic, key: 'k', value: c.value, headers: c.headers, timestamp: opts.timestamp});
      return {...c, ...at};
    }

    /** A group reads `topic` to its end through the claim check and the dead-letter handler. */
    async function consume(topic: string, groupId: string, expected: number) {
      const payloads = new Map<number, Buffer | null>();
      const events: PatternEvent[] = [];
      const stream = new EventStream<PatternEvent>();
      stream.subscribe((e) => events.push(e));
      const consumer = new RecordConsumer({
        conn: tb.conn,
        groupId,
        topics: [topic],
        handle: deadLetterHandler({
          ...claimCheckHandler({stores: s.stores, group: groupId, handle: async (payload, _r, record) => void payloads.set(record.offset, payload)}),
          group: groupId,
          publisher,
          events: stream,
        }),
      });
      await consumer.start();
      try {
        await until('every record handled or dead-lettered', async () => events.filter((e) => e.type === 'handled' || e.type === 'dead-lettered').length, (n) => n >= expected, 30_000);
      } finally {
        await consumer.stop();
      }
      return {payloads, events};
    }

    it('stores, finds, lists and deletes blobs by sha-256, several MiB included', async () => {
      const big = randomBytes(5 * MIB);
      const id = sha(big);
      expect(await s.store.stat(id)).toBeNull();
      expect(await s.store.get(id)).toBeNull();
      await s.store.put(id, big, {contentType: 'application/octet-stream', topic: 'some.topic'});
      const info = await s.store.stat(id);
      expect(info).toMatchObject({sha256: id, size: big.length, topic: 'some.topic'});
      expect(sha((await s.store.get(id))!)).toBe(id);
      const listed: string[] = [];
      for await (const b of s.store.list()) listed.push(b.sha256);
      expect(listed).toContain(id);
      await s.store.delete(id);
      expect(await s.store.stat(id)).toBeNull();
    });

    it('round-trips a payload far over max.message.bytes byte for byte, the record on the topic a few hundred bytes', async () => {
      const topic = topicName('roundtrip');
      await ensureTopics(tb.conn, [{name: topic, partitions: 1}]);
      const payload = randomBytes(3 * MIB);
      // The raw payload is refused by the broker.
      const raw = await publisher.sendOne({topic, key: 'k', value: payload}).catch((e: Error) => e);
      expect((raw as Error).message).toMatch(/max\.message\.bytes/);
      await produce(topic, payload);
      const [record] = await readTopic(tb.conn, topic);
      expect(record!.value!.length).toBeLessThan(500);
      expect(headerText(record!, CLAIM_CHECK_HEADER)).toBe('1');
      expect(parseReference(record!.value)).toMatchObject({sha256: sha(payload), size: payload.length, compression: 'none', contentType: 'application/octet-stream'});
      const {payloads} = await consume(topic, `${topic}.g`, 1);
      expect(sha(payloads.get(0)!)).toBe(sha(payload));
    });

    it('the same payload twice is one blob and two records', async () => {
      const topic = topicName('twice');
      const payload = randomBytes(2 * MIB);
      const first = await produce(topic, payload);
      const second = await produce(topic, payload);
      expect([first.uploaded, second.uploaded]).toEqual([true, false]);
      const records = await readTopic(tb.conn, topic);
      expect(records).toHaveLength(2);
      expect(new Set(records.map((r) => parseReference(r.value).sha256))).toEqual(new Set([sha(payload)]));
      let copies = 0;
      for await (const b of s.store.list()) if (b.sha256 === sha(payload)) copies++;
      expect(copies).toBe(1);
    });

    it('an upload skipped because the blob was there restarts its grace period, so gc keeps it for the record on its way', async () => {
      const topic = topicName('touch');
      await produce(topic, randomBytes(16), {thresholdBytes: MIB});
      const payload = randomBytes(64 * 1024);
      const stored = await checkIn(payload, topic, {store: s.store, thresholdBytes: 0});
      const before = (await s.store.stat(stored.reference!.sha256))!.storedAt;
      // Past S3's one-second timestamps, so a refreshed time is a later one.
      await new Promise((r) => setTimeout(r, 1_100));
      const again = await checkIn(payload, topic, {store: s.store, thresholdBytes: 0});
      expect(again.uploaded).toBe(false);
      const after = (await s.store.stat(stored.reference!.sha256))!.storedAt;
      expect(after).toBeGreaterThan(before);
      // Nothing references it yet: by its first time it would be an orphan past a 500 ms grace, by the refreshed one it is within.
      const now = after + 400;
      expect(now - before).toBeGreaterThan(500);
      const gc = await collectGarbage({conn: tb.conn, store: s.store, topics: [topic], graceMs: 500, delete: true, now});
      const blob = gc.blobs.find((b) => b.sha256 === stored.reference!.sha256)!;
      expect([blob.verdict, blob.deleted]).toEqual(['orphan-within-grace', false]);
      expect(await s.store.stat(stored.reference!.sha256)).not.toBeNull();
    });

    it('sends records whose blob is missing or corrupt to the DLT with the reason, and the group moves past them', async () => {
      const topic = topicName('faults');
      await ensureTopics(tb.conn, [{name: topic, partitions: 1}, {name: `${topic}.dlt`, partitions: 1}]);
      const good = randomBytes(MIB + 10);
      const gone = randomBytes(MIB + 20);
      const corrupt = randomBytes(MIB + 30);
      const small = Buffer.from('{"inline":true}');
      await produce(topic, good);
      const g = await produce(topic, gone);
      const c = await produce(topic, corrupt);
      await produce(topic, small);
      await s.store.delete(g.reference!.sha256);
      const damaged = Buffer.from(corrupt);
      damaged.writeUInt8(damaged.readUInt8(12345) ^ 0xff, 12345);
      await s.store.put(c.reference!.sha256, damaged, {contentType: 'application/octet-stream', topic});

      const groupId = `${topic}.g`;
      const {payloads, events} = await consume(topic, groupId, 4);
      expect(sha(payloads.get(0)!)).toBe(sha(good));
      expect(payloads.get(3)!.toString()).toBe('{"inline":true}');
      expect(payloads.has(1) || payloads.has(2)).toBe(false);
      const dead = await readTopic(tb.conn, `${topic}.dlt`);
      expect(dead.map((d) => [headerNumber(d, DltHeader.originalOffset), headerText(d, KpatHeader.reason)])).toEqual([
        [1, 'blob-missing'],
        [2, 'sha256-mismatch'],
      ]);
      // The dead letter keeps the reference: once the blob is back, a redrive resolves it.
      expect(parseReference(dead[0]!.value).sha256).toBe(sha(gone));
      expect(events.filter((e) => e.type === 'dead-lettered').map((e) => (e as {error: {name: string}}).error.name)).toEqual(['BlobMissingError', 'Sha256MismatchError']);
      const kafka = new Kafka({brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
      const admin = kafka.admin();
      await admin.connect();
      const [offsets] = await admin.fetchOffsets({groupId, topics: [topic]});
      await admin.disconnect();
      expect(offsets!.partitions[0]!.offset).toBe('4');
    });

    it('gc deletes orphans past the grace period and blobs whose records retention removed, and keeps referenced blobs and young orphans', async () => {
      const topic = topicName('gc');
      await ensureTopics(tb.conn, [{name: topic, partitions: 1, configs: {'retention.ms': '60000', 'segment.ms': '500'}}]);
      // Written an hour ago by its timestamp: the next record, past segment.ms, seals its segment and retention removes it.
      const expired = await produce(topic, randomBytes(80), {thresholdBytes: 0, timestamp: Date.now() - 3_600_000});
      await new Promise((r) => setTimeout(r, 1200));
      const after = await produce(topic, randomBytes(96), {thresholdBytes: 0});
      const orphan = await checkIn(randomBytes(70), topic, {store: s.store, thresholdBytes: 0});
      const kafka = new Kafka({brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
      const admin = kafka.admin();
      await admin.connect();
      try {
        await until('retention to remove the first segment', async () => Number((await admin.fetchTopicOffsets(topic))[0]!.low), (low) => low > 0, 20_000);
      } finally {
        await admin.disconnect();
      }
      const left = new Set((await readTopic(tb.conn, topic)).map((r: ConsumedRecord) => parseReference(r.value).sha256));
      expect(left.has(after.reference!.sha256)).toBe(true);

      // Within the grace period nothing unreferenced goes, whatever the reason: its produce may be on its way.
      const dry = await collectGarbage({conn: tb.conn, store: s.store, topics: [topic], graceMs: 3_600_000});
      const verdict = (id: string) => dry.blobs.find((b) => b.sha256 === id)?.verdict;
      expect(dry.dryRun).toBe(true);
      expect(verdict(after.reference!.sha256)).toBe('referenced');
      expect(verdict(expired.reference!.sha256)).toBe('orphan-within-grace');
      expect(verdict(orphan.reference!.sha256)).toBe('orphan-within-grace');

      // Past it: a dry run says what it would delete and why, and deletes nothing.
      const later = Date.now() + 10_000;
      const said = await collectGarbage({conn: tb.conn, store: s.store, topics: [topic], graceMs: 5000, now: later});
      const why = (id: string) => said.blobs.find((b) => b.sha256 === id)?.verdict;
      expect(why(expired.reference!.sha256)).toBe('records-gone');
      expect(why(orphan.reference!.sha256)).toBe('orphan-past-grace');
      expect(why(after.reference!.sha256)).toBe('referenced');
      expect(said.blobs.every((b) => !b.deleted)).toBe(true);
      expect(await s.store.stat(expired.reference!.sha256)).not.toBeNull();

      const real = await collectGarbage({conn: tb.conn, store: s.store, topics: [topic], graceMs: 5000, delete: true, now: later});
      const deleted = new Set(real.blobs.filter((b) => b.deleted).map((b) => b.sha256));
      expect(deleted).toEqual(new Set([expired.reference!.sha256, orphan.reference!.sha256]));
      expect(await s.store.stat(orphan.reference!.sha256)).toBeNull();
      expect(await s.store.stat(after.reference!.sha256)).not.toBeNull();
    });
  });
}
