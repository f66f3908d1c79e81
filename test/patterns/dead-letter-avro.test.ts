import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {EventStream} from '../../src/core/event-stream.js';
import {Publisher} from '../../src/kafka/publisher.js';
import {RecordConsumer} from '../../src/kafka/record-consumer.js';
import {RegistryClient} from '../../src/kafka/registry-client.js';
import {AvroSerde} from '../../src/kafka/serde/avro-serde.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import {deadLetterHandler} from '../../src/patterns/dead-letter/dead-letter-handler.js';
import type {PatternEvent} from '../../src/patterns/events.js';
import {DltHeader, headerNumber, headerText, KpatHeader} from '../../src/patterns/headers.js';
import type {HostedRegistry} from '../../src/stack/registry-host.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {readTopic} from '../helpers/read-topic.js';
import {startTestRegistry} from '../helpers/registry.js';

const ORDER = JSON.stringify({type: 'record', name: 'Order', fields: [{name: 'orderId', type: 'string'}, {name: 'amount', type: 'double'}]});
const Order = z.object({orderId: z.string(), amount: z.number().positive()});

let tb: TestBroker;
let hosted: HostedRegistry;
let publisher: Publisher;
beforeAll(async () => {
  tb = await startTestBroker();
  hosted = await startTestRegistry(tb);
  publisher = await Publisher.connect(tb.conn);
}, 30_000);
afterAll(async () => {
  await publisher.close();
  await hosted.close();
  await tb.stop();
});

describe('dead-letter wrapper with an Avro serde', () => {
  it('dead-letters Avro it cannot decode (unknown schema id, corrupt bytes, not Avro) untouched with the reason, and keeps the partition moving', async () => {
    const client = new RegistryClient({url: hosted.url, source: 'flag'});
    const {id} = await client.register('dla.orders-value', ORDER);
    const writer = new AvroSerde(client, {schemaId: id, schema: ORDER});
    const good = (orderId: string, amount: number) => writer.serialize({orderId, amount});
    const unknownId = Buffer.from(good('b', 1));
    unknownId.writeInt32BE(id + 1000, 1);
    const corrupt = good('c', 1).subarray(0, 8); // the string's length says more bytes follow
    const values: Array<[string, Buffer]> = [
      ['a', good('a', 10)],
      ['b', unknownId],
      ['c', corrupt],
      ['d', Buffer.from('{"orderId":"d","amount":1}')], // JSON where Avro is expected
      ['e', good('e', -1)], // decodes, but fails the zod schema
      ['f', good('f', 5)],
    ];
    await ensureTopics(tb.conn, [
      {name: 'dla.orders', partitions: 1},
      {name: 'dla.orders.dlt', partitions: 1},
    ]);
    await publisher.send(values.map(([key, value]) => ({topic: 'dla.orders', partition: 0, key, value})));

    const handled: string[] = [];
    const events = new EventStream<PatternEvent>();
    const seen: PatternEvent[] = [];
    events.subscribe((e) => seen.push(e));
    const consumer = new RecordConsumer({
      conn: tb.conn,
      groupId: 'dla-group',
      topics: ['dla.orders'],
      handle: deadLetterHandler({
        group: 'dla-group',
        serde: new AvroSerde(client),
        schema: Order,
        publisher,
        events,
        handle: async (order) => {
          handled.push(order.orderId);
        },
      }),
    });
    await consumer.start();
    const deadline = Date.now() + 20_000;
    while (seen.filter((e) => e.type === 'handled' || e.type === 'dead-lettered').length < values.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await consumer.stop();

    expect(handled).toEqual(['a', 'f']);
    const dlt = await readTopic(tb.conn, 'dla.orders.dlt');
    expect(dlt.map((r) => r.key!.toString())).toEqual(['b', 'c', 'd', 'e']);
    for (const dead of dlt) {
      const original = values.find(([key]) => key === dead.key!.toString())![1];
      expect(dead.value!.equals(original)).toBe(true); // bytes untouched
      expect(headerText(dead, DltHeader.originalTopic)).toBe('dla.orders');
    }
    expect(dlt.map((r) => [headerText(r, DltHeader.exceptionFqcn), headerText(r, DltHeader.exceptionCauseFqcn) ?? null, headerText(r, KpatHeader.reason)])).toEqual([
      ['DeserializationError', 'UnknownSchemaIdError', 'deserialization'],
      ['DeserializationError', 'UndecodableBytesError', 'deserialization'],
      ['DeserializationError', 'BadMagicByteError', 'deserialization'],
      ['ValidationError', null, 'validation'],
    ]);
    expect(headerText(dlt[0]!, DltHeader.exceptionMessage)).toMatch(new RegExp(`schema id ${id + 1000} is not in the schema registry`));
    expect(headerText(dlt[1]!, DltHeader.exceptionMessage)).toMatch(/truncated/);
    expect(headerText(dlt[2]!, DltHeader.exceptionMessage)).toMatch(/magic byte/);
    expect(headerText(dlt[3]!, DltHeader.exceptionMessage)).toMatch(/amount/);
    expect(dlt.map((r) => headerNumber(r, DltHeader.originalOffset))).toEqual([1, 2, 3, 4]);

    // Every source offset was passed: the partition moved past the undecodable records.
    const done = seen.filter((e) => e.type === 'handled' || e.type === 'dead-lettered').map((e) => e.record.offset);
    expect(done.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
