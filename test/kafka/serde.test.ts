import {SchemaRegistry, SchemaType} from '@kafkajs/confluent-schema-registry';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {z} from 'zod';
import {RegistryClient} from '../../src/kafka/registry-client.js';
import {AvroSerde} from '../../src/kafka/serde/avro-serde.js';
import {BadMagicByteError, SchemaMismatchError, UndecodableBytesError, UnknownSchemaIdError} from '../../src/kafka/serde/errors.js';
import {JsonSerde} from '../../src/kafka/serde/json-serde.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {ORDER_SCHEMA, startTestRegistry} from '../helpers/registry.js';
import type {HostedRegistry} from '../../src/stack/registry-host.js';

const ORDER = ORDER_SCHEMA;
const ctx = {topic: 'orders.v1', part: 'value'} as const;

let tb: TestBroker;
let hosted: HostedRegistry;
let client: RegistryClient;
beforeAll(async () => {
  tb = await startTestBroker();
  hosted = await startTestRegistry(tb);
  client = new RegistryClient({url: hosted.url, source: 'flag'});
}, 30_000);
afterAll(async () => {
  await hosted.close();
  await tb.stop();
});

describe('AvroSerde (Confluent wire format)', () => {
  it('writes magic byte 0, the big-endian schema id and Avro binary, and reads it back', async () => {
    const {id} = await client.register('serde.orders-value', ORDER);
    const serde = new AvroSerde(client, {schemaId: id, schema: ORDER});
    const bytes = serde.serialize({orderId: 'o-1', amount: 9.5, note: 'gift'});
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(id);
    // A reader that has only the registry: it fetches the schema by id.
    const reader = new AvroSerde(client);
    expect(await reader.deserialize(bytes, ctx)).toEqual({orderId: 'o-1', amount: 9.5, note: 'gift'});
  });

  it('agrees with @kafkajs/confluent-schema-registry both ways', async () => {
    const other = new SchemaRegistry({host: hosted.url});
    const {id} = await other.register({type: SchemaType.AVRO, schema: ORDER}, {subject: 'serde.interop-value'});
    const theirs = await other.encode(id, {orderId: 'o-2', amount: 3, note: null});
    expect(await new AvroSerde(client).deserialize(theirs, ctx)).toEqual({orderId: 'o-2', amount: 3, note: null});
    const ours = new AvroSerde(client, {schemaId: id, schema: ORDER}).serialize({orderId: 'o-3', amount: 1.25, note: 'x'});
    expect(await other.decode(ours)).toEqual({orderId: 'o-3', amount: 1.25, note: 'x'});
  });

  it('names what is wrong: bad magic byte, unknown schema id, bytes that do not decode', async () => {
    const {id} = await client.register('serde.errors-value', ORDER);
    const reader = new AvroSerde(client);
    await expect(reader.deserialize(Buffer.from('{"orderId":"o-1"}'), ctx)).rejects.toThrow(BadMagicByteError);
    await expect(reader.deserialize(Buffer.from([0, 0, 1]), ctx)).rejects.toThrow(/too short/);
    const unknown = Buffer.from([0, 0, 0, 0x7f, 0x7f, 2, 0x61]);
    await expect(reader.deserialize(unknown, ctx)).rejects.toThrow(UnknownSchemaIdError);
    await expect(reader.deserialize(unknown, ctx)).rejects.toThrow(/schema id 32639 is not in the schema registry/);
    const good = new AvroSerde(client, {schemaId: id, schema: ORDER}).serialize({orderId: 'o-1', amount: 2, note: null});
    await expect(reader.deserialize(good.subarray(0, good.length - 3), ctx)).rejects.toThrow(UndecodableBytesError);
    await expect(reader.deserialize(Buffer.concat([good, Buffer.from([1, 2])]), ctx)).rejects.toThrow(/2 bytes left over/);
  });

  it('refuses a value that does not match the schema, naming the field', async () => {
    const serde = new AvroSerde(client, {schemaId: 1, schema: ORDER});
    expect(() => serde.serialize({orderId: 'o-1', amount: 'lots'})).toThrow(SchemaMismatchError);
    expect(() => serde.serialize({orderId: 'o-1', amount: 'lots'})).toThrow(/field "amount" does not match the schema: expected double, got "lots"/);
    expect(() => serde.serialize({amount: 1})).toThrow(/field "orderId".*it is missing/);
  });
});

describe('JsonSerde', () => {
  it('checks values with the zod schema both ways and names the field', () => {
    const serde = new JsonSerde(z.object({orderId: z.string(), amount: z.number().positive()}));
    expect(serde.deserialize(serde.serialize({orderId: 'o-1', amount: 2}))).toEqual({orderId: 'o-1', amount: 2});
    expect(() => serde.deserialize(Buffer.from('{"orderId":'))).toThrow(UndecodableBytesError);
    expect(() => serde.deserialize(Buffer.from('{"orderId":"o","amount":-1}'))).toThrow(/amount: /);
  });
});
