import {SchemaRegistry, SchemaType} from '@kafkajs/confluent-schema-registry';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {startTestRegistry} from '../helpers/registry.js';
import type {HostedRegistry} from '../../src/stack/registry-host.js';

let broker: TestBroker;
let registry: HostedRegistry;
beforeAll(async () => {
  broker = await startTestBroker();
  registry = await startTestRegistry(broker);
});
afterAll(async () => {
  await registry.close();
  await broker.stop();
});

const order = (extra: unknown[] = []) =>
  JSON.stringify({type: 'record', name: 'Order', namespace: 'shop', fields: [{name: 'id', type: 'string'}, {name: 'total', type: 'double'}, ...extra]});

describe('@kafkajs/confluent-schema-registry against the embedded registry', () => {
  it('registers, finds ids by subject and version, and round-trips the Confluent wire format', async () => {
    const client = new SchemaRegistry({host: registry.url});
    const {id} = await client.register({type: SchemaType.AVRO, schema: order()}, {subject: 'orders.v1-value'});
    expect(await client.getLatestSchemaId('orders.v1-value')).toBe(id);
    expect(await client.getRegistryId('orders.v1-value', 1)).toBe(id);
    expect(await client.getRegistryId('orders.v1-value', 'latest')).toBe(id);

    const bytes = await client.encode(id, {id: 'o-1', total: 12.5});
    expect(bytes[0]).toBe(0); // magic byte
    expect(bytes.readInt32BE(1)).toBe(id);
    // A fresh client knows nothing cached: it fetches the schema by id to decode.
    expect(await new SchemaRegistry({host: registry.url}).decode(bytes)).toEqual({id: 'o-1', total: 12.5});
  });

  it('evolves a subject compatibly, and refuses what breaks its readers', async () => {
    const client = new SchemaRegistry({host: registry.url});
    const v1 = await client.register({type: SchemaType.AVRO, schema: order()}, {subject: 'evolve-value'});
    const v2 = await client.register({type: SchemaType.AVRO, schema: order([{name: 'note', type: ['null', 'string'], default: null}])}, {subject: 'evolve-value'});
    expect(v2.id).not.toBe(v1.id);
    expect(await client.getLatestSchemaId('evolve-value')).toBe(v2.id);
    // Data written with v1, read with v2: the new field takes its default.
    const old = await client.encode(v1.id, {id: 'o-2', total: 3});
    const reader = await client.getSchema(v2.id);
    expect(await client.decode(old, {[SchemaType.AVRO]: {readerSchema: reader}})).toEqual({id: 'o-2', total: 3, note: null});
    await expect(client.register({type: SchemaType.AVRO, schema: order([{name: 'must', type: 'int'}])}, {subject: 'evolve-value'})).rejects.toThrow(/incompatible/i);
  });
});
