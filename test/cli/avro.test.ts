import {SchemaRegistry} from '@kafkajs/confluent-schema-registry';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Publisher} from '../../src/kafka/publisher.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import type {HostedRegistry} from '../../src/stack/registry-host.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {pythonAvroDecode, pythonAvroProduce} from '../helpers/python-avro.js';
import {readTopic} from '../helpers/read-topic.js';
import {ORDER_SCHEMA, startTestRegistry} from '../helpers/registry.js';

const json = (s: string) => s.trim().split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);
const ORDER = ORDER_SCHEMA;
const KEY = JSON.stringify({type: 'record', name: 'OrderKey', namespace: 'shop', fields: [{name: 'id', type: 'string'}]});
const files = tempDir('kpat-avro-cli-');
const orderFile = join(files, 'order.avsc');
const keyFile = join(files, 'key.avsc');
writeFileSync(orderFile, ORDER);
writeFileSync(keyFile, KEY);

let tb: TestBroker;
let hosted: HostedRegistry;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  tb = await startTestBroker();
  hosted = await startTestRegistry(tb);
  // No stack: the broker and registry come from the environment, as a user's would.
  env = {KPAT_HOME: tempDir('kpat-avro-home-'), KPAT_BROKERS: tb.bootstrap, KPAT_REGISTRY_URL: hosted.url};
}, 30_000);
afterAll(async () => {
  await hosted.close();
  await tb.stop();
});

const consume = (topic: string, ...extra: string[]) => runCli(['consume', topic, '--from-beginning', '--exit', ...extra], {env});

describe('kpat produce/consume with Avro', () => {
  it('produce --value-format avro registers TOPIC-value, writes the wire format that Apache Avro (Python) and @kafkajs/confluent-schema-registry decode, and consume prints JSON', async () => {
    const lines = ['{"orderId":"o-1","amount":10.5,"note":"gift"}', '{"orderId":"o-2","amount":3}'];
    const produced = await runCli(['produce', 'avro.orders', '--value-format', 'avro', '--schema', orderFile], {env, input: lines.join('\n') + '\n'});
    expect(produced.stderr).toBe('');
    expect(produced.code).toBe(0);
    expect(produced.stdout).toMatch(/produced 2 records to avro.orders/);

    const raw = await readTopic(tb.conn, 'avro.orders');
    const latest = (await (await fetch(`${hosted.url}/subjects/avro.orders-value/versions/latest`)).json()) as {id: number};
    expect(raw.map((r) => [r.value![0], r.value!.readInt32BE(1)])).toEqual([
      [0, latest.id],
      [0, latest.id],
    ]);
    const expected = [
      {orderId: 'o-1', amount: 10.5, note: 'gift'},
      {orderId: 'o-2', amount: 3, note: null},
    ];
    expect(await pythonAvroDecode(hosted.url, raw.map((r) => r.value!))).toEqual(expected);
    const other = new SchemaRegistry({host: hosted.url});
    expect(await Promise.all(raw.map((r) => other.decode(r.value!)))).toEqual(expected);

    const plain = await consume('avro.orders');
    expect(plain.code).toBe(0);
    expect(plain.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(expected);
    const asJson = await consume('avro.orders', '--output', 'json');
    expect(json(asJson.stdout).map((r) => JSON.parse(r.value as string) as unknown)).toEqual(expected);
  });

  it('consume decodes what Apache Avro (Python) with confluent-kafka wrote', async () => {
    const values = [
      {orderId: 'py-1', amount: 1.5, note: null},
      {orderId: 'py-2', amount: 2, note: 'from python'},
    ];
    await pythonAvroProduce(tb.bootstrap, hosted.url, 'avro.python', 'avro.python-value', ORDER, values);
    const res = await consume('avro.python', '--value-format', 'avro');
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(values);
  });

  it('keys: --key-format avro --key-schema registers TOPIC-key; consume --print-key shows both as JSON', async () => {
    const res = await runCli(['produce', 'avro.keyed', '--key-format', 'avro', '--key-schema', keyFile, '--value-format', 'avro', '--schema', orderFile, '--key-separator', '|'], {
      env,
      input: '{"id":"k-1"}|{"orderId":"o-9","amount":9}\n',
    });
    expect(res.code).toBe(0);
    const subjects = (await (await fetch(`${hosted.url}/subjects`)).json()) as string[];
    expect(subjects).toEqual(expect.arrayContaining(['avro.keyed-key', 'avro.keyed-value']));
    const out = await consume('avro.keyed', '--print-key');
    expect(out.stdout.trim()).toBe('{"id":"k-1"}\t{"orderId":"o-9","amount":9,"note":null}');
  });

  it('auto prints what is not Avro as before; --value-format avro fails on it with exit 1 naming the record; string prints bytes as text', async () => {
    await ensureTopics(tb.conn, [{name: 'avro.mixed', partitions: 1}]);
    const produced = await runCli(['produce', 'avro.mixed', '--value-format', 'avro', '--schema', orderFile, '--value', '{"orderId":"o-1","amount":1}'], {env});
    expect(produced.code).toBe(0);
    const publisher = await Publisher.connect(tb.conn);
    try {
      await publisher.send([
        {topic: 'avro.mixed', partition: 0, key: null, value: 'plain text'},
        // Magic byte 0 but a schema id nobody registered.
        {topic: 'avro.mixed', partition: 0, key: null, value: Buffer.from([0, 0, 0, 0x30, 0x39, 2, 0x61])},
      ]);
    } finally {
      await publisher.close();
    }
    const auto = await consume('avro.mixed', '--output', 'json');
    expect(auto.code).toBe(0);
    const values = json(auto.stdout).map((r) => r.value);
    expect(values[0]).toBe('{"orderId":"o-1","amount":1,"note":null}');
    expect(values[1]).toBe('plain text');
    expect(values[2]).toBe(Buffer.from([0, 0, 0, 0x30, 0x39, 2, 0x61]).toString('utf8'));

    const strict = await consume('avro.mixed', '--value-format', 'avro');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/avro\.mixed 0@1: the value is not avro: first byte is 112, not the Confluent wire format's magic byte 0/);
    expect(strict.stderr).toMatch(/--value-format auto prints what is not Avro as text/);

    const asText = await consume('avro.mixed', '--value-format', 'string', '--max', '1');
    expect(asText.stdout.startsWith('\u0000')).toBe(true);
  });

  it('a JSON line that does not match the schema exits 2 naming the line and field; avro without --schema exits 2', async () => {
    const bad = await runCli(['produce', 'avro.bad', '--value-format', 'avro', '--schema', orderFile], {env, input: '{"orderId":"o-1","amount":1}\n{"orderId":"o-2","amount":"ten"}\n'});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 2: the value field "amount" does not match the schema: expected double, got "ten"/);
    const notJson = await runCli(['produce', 'avro.bad', '--value-format', 'avro', '--schema', orderFile], {env, input: 'hello\n'});
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/line 1: the value is not JSON/);
    const noSchema = await runCli(['produce', 'avro.bad', '--value-format', 'avro', '--value', '{}'], {env});
    expect(noSchema.code).toBe(2);
    expect(noSchema.stderr).toMatch(/--value-format avro needs the schema: pass --schema FILE\.avsc/);
  });

  it('no registry: produce and consume --value-format avro exit 1 saying how to pass --registry; auto still prints', async () => {
    const noRegistry = {...env, KPAT_REGISTRY_URL: ''};
    const produce = await runCli(['produce', 'avro.orders', '--value-format', 'avro', '--schema', orderFile, '--value', '{"orderId":"o","amount":1}'], {env: noRegistry});
    expect(produce.code).toBe(1);
    expect(produce.stderr).toMatch(/no schema registry configured.*pass --registry/);
    const unreachable = await runCli(['consume', 'avro.orders', '--from-beginning', '--exit', '--registry', 'http://127.0.0.1:1'], {env});
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/no schema registry at http:\/\/127\.0\.0\.1:1 .*pass --registry/);
    const auto = await runCli(['consume', 'avro.orders', '--from-beginning', '--exit', '--max', '1'], {env: noRegistry});
    expect(auto.code).toBe(0);
    expect(auto.stdout.charCodeAt(0)).toBe(0);
  });

  it('watch decodes Avro values to JSON', async () => {
    const res = await runCli(['watch', 'avro.orders', '--from-beginning', '--output', 'json', '--max', '2'], {env});
    expect(res.code).toBe(0);
    const records = json(res.stdout).filter((l) => l.type === 'record');
    expect(records.map((r) => JSON.parse(r.value as string) as unknown)).toEqual([
      {orderId: 'o-1', amount: 10.5, note: 'gift'},
      {orderId: 'o-2', amount: 3, note: null},
    ]);
  });
});
