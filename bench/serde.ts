/**
 * Avro (Confluent wire format) against JSON checked by zod, in one run: encode
 * and decode throughput of the same orders through kpat's serdes, records/s
 * and MB/s of the encoded bytes, and Avro's speed as a multiple of JSON's.
 * The schema is looked up by id once and cached, as with the registry, so
 * this measures the codecs; the source here is in memory.
 */
import {z} from 'zod';
import {AvroSerde} from '../src/kafka/serde/avro-serde.js';
import {JsonSerde} from '../src/kafka/serde/json-serde.js';
import type {SerdeContext} from '../src/kafka/serde/serde.js';
import {printFigures, repeated, timed, type Figure} from './harness.js';

const COUNT = 50_000;
const SCHEMA_ID = 1;
const SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Order',
  namespace: 'bench',
  fields: [
    {name: 'orderId', type: 'string'},
    {name: 'customer', type: 'string'},
    {name: 'amount', type: 'double'},
    {name: 'placedAt', type: 'long'},
    {name: 'items', type: {type: 'array', items: {type: 'record', name: 'Item', fields: [{name: 'sku', type: 'string'}, {name: 'qty', type: 'int'}]}}},
    {name: 'note', type: ['null', 'string'], default: null},
  ],
});
const Order = z.object({
  orderId: z.string(),
  customer: z.string(),
  amount: z.number(),
  placedAt: z.number().int(),
  items: z.array(z.object({sku: z.string(), qty: z.number().int()})),
  note: z.string().nullable(),
});
type Order = z.infer<typeof Order>;

const ctx: SerdeContext = {topic: 'bench.orders', part: 'value'};
const orders: Order[] = Array.from({length: COUNT}, (_, i) => ({
  orderId: `o-${i}`,
  customer: `c-${i % 997}`,
  amount: (i % 500) + 0.99,
  placedAt: 1_700_000_000_000 + i,
  items: Array.from({length: 1 + (i % 3)}, (_, j) => ({sku: `sku-${(i + j) % 101}`, qty: 1 + j})),
  note: i % 4 === 0 ? 'leave at the door' : null,
}));

async function encodeFigure(name: string, encode: (o: Order) => Buffer): Promise<Figure> {
  let bytes = 0;
  const {seconds} = await timed(async () => {
    for (const o of orders) bytes += encode(o).length;
  });
  return {name, records: COUNT, bytes, seconds};
}

async function decodeFigure(name: string, encoded: Buffer[], decode: (b: Buffer) => unknown): Promise<Figure> {
  const bytes = encoded.reduce((n, b) => n + b.length, 0);
  const {seconds} = await timed(async () => {
    for (const b of encoded) await decode(b);
  });
  return {name, records: COUNT, bytes, seconds};
}

export async function serdeSection(): Promise<void> {
  const json = new JsonSerde(Order);
  const avro = new AvroSerde({schemaText: async (id) => (id === SCHEMA_ID ? SCHEMA : null)}, {schemaId: SCHEMA_ID, schema: SCHEMA});
  const jsonBytes = orders.map((o) => json.serialize(o, ctx));
  const avroBytes = orders.map((o) => avro.serialize(o, ctx));
  await avro.deserialize(avroBytes[0]!, ctx); // the one schema lookup, outside the clock

  const figures = [
    await repeated(() => encodeFigure('JSON+zod encode', (o) => json.serialize(o, ctx))),
    await repeated(() => encodeFigure('Avro encode', (o) => avro.serialize(o, ctx))),
    await repeated(() => decodeFigure('JSON+zod decode', jsonBytes, (b) => json.deserialize(b, ctx))),
    await repeated(() => decodeFigure('Avro decode', avroBytes, (b) => avro.deserialize(b, ctx))),
  ];
  printFigures(`serde: Avro (Confluent wire format) vs JSON+zod, ${COUNT.toLocaleString('en-US')} orders`, figures);
  const rate = (f: Figure) => f.records / f.seconds;
  const size = (bs: Buffer[]) => bs.reduce((n, b) => n + b.length, 0) / bs.length;
  console.log(`Avro/JSON records/s: encode ${(rate(figures[1]!) / rate(figures[0]!)).toFixed(2)}x, decode ${(rate(figures[3]!) / rate(figures[2]!)).toFixed(2)}x`);
  console.log(`bytes per record: JSON ${size(jsonBytes).toFixed(0)}, Avro ${size(avroBytes).toFixed(0)} (${((size(avroBytes) / size(jsonBytes)) * 100).toFixed(0)}%)`);
}
