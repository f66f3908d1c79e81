import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Publisher} from '../../src/kafka/publisher.js';
import type {ConsumedRecord} from '../../src/kafka/records.js';
import {ensureTopics} from '../../src/kafka/topics.js';
import {deadLetterMessage} from '../../src/patterns/dead-letter/dead-letter-message.js';
import type {FailureReason} from '../../src/patterns/events.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {readTopic} from '../helpers/read-topic.js';

// kpat dlt inspect / redrive on dead letters written as the dead-letter pattern writes them.

let tb: TestBroker;
let publisher: Publisher;
const env = {KPAT_HOME: tempDir('kpat-cli-'), KPAT_BROKERS: ''};
const kpat = (args: string[]) => runCli([...args, '--brokers', tb.bootstrap], {env, timeoutMs: 30_000});
const json = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

function source(topic: string, offset: number, value: string): ConsumedRecord {
  return {topic, partition: 0, offset, timestamp: 1_700_000_000_000 + offset, key: Buffer.from(`k${offset}`), value: Buffer.from(value), headers: {}};
}

/** Dead letters of `topic` into `dlt`, each failed by `group` for `reason`. */
async function deadLetter(dlt: string, letters: Array<{topic: string; group: string; reason: FailureReason; error: Error}>): Promise<void> {
  await publisher.send(letters.map((l, i) => deadLetterMessage(source(l.topic, i, `{"n":${i}}`), dlt, l.reason, {group: l.group, error: l.error, attempts: 1, now: Date.now()})));
}

const named = (name: string, message: string) => Object.assign(new Error(message), {name});

beforeAll(async () => {
  tb = await startTestBroker();
  publisher = await Publisher.connect(tb.conn);
  await ensureTopics(tb.conn, [
    {name: 'orders.v1', partitions: 1},
    {name: 'orders.v1.dlt', partitions: 1},
    {name: 'poison.v1', partitions: 1},
    {name: 'poison.v1.dlt', partitions: 1},
    {name: 'plain.v1', partitions: 1},
    {name: 'empty.v1.dlt', partitions: 1},
  ]);
  await deadLetter('orders.v1.dlt', [
    {topic: 'orders.v1', group: 'payments', reason: 'retries-exhausted', error: named('TransientError', 'db down')},
    {topic: 'orders.v1', group: 'payments', reason: 'retries-exhausted', error: named('TransientError', 'db down')},
    {topic: 'orders.v1', group: 'shipping', reason: 'retries-exhausted', error: named('TransientError', 'db down')},
    {topic: 'orders.v1', group: 'payments', reason: 'validation', error: named('ValidationError', 'amount must be positive')},
  ]);
  await deadLetter('poison.v1.dlt', [
    {topic: 'poison.v1', group: 'audit', reason: 'deserialization', error: named('DeserializationError', 'bad JSON')},
    {topic: 'poison.v1', group: 'audit', reason: 'validation', error: named('ValidationError', 'no orderId')},
    {topic: 'poison.v1', group: 'audit', reason: 'non-retryable', error: named('NonRetryableError', 'refused')},
  ]);
  await publisher.send([{topic: 'plain.v1', key: 'a', value: 'just a record'}]);
});
afterAll(async () => {
  await publisher.close();
  await tb.stop();
});

describe('kpat dlt inspect', () => {
  it('names the consumer groups that failed each group of dead letters, and each sample\'s group', async () => {
    const res = await kpat(['dlt', 'inspect', 'orders.v1.dlt', '--json']);
    expect(res.code).toBe(0);
    const groups = json(res.stdout).filter((l) => l.type === 'dead-letter-group');
    const transient = groups.find((g) => g.errorClass === 'TransientError')!;
    expect(transient).toMatchObject({count: 3, originalTopics: ['orders.v1'], originalGroups: ['payments', 'shipping']});
    expect((transient.samples as Array<{original: {group: string}}>).map((s) => s.original.group)).toEqual(['payments', 'payments', 'shipping']);
    expect(groups.find((g) => g.errorClass === 'ValidationError')).toMatchObject({count: 1, originalGroups: ['payments']});

    const plain = await kpat(['dlt', 'inspect', 'orders.v1.dlt']);
    expect(plain.stdout).toMatch(/^3 × TransientError \(retries-exhausted\) from orders\.v1 by group payments, shipping · /m);
    expect(plain.stdout).toMatch(/^DLT\s+ORIGINAL\s+GROUP\s+KEY\s+ERROR\s+VALUE/m);
    expect(plain.stdout).toMatch(/orders\.v1\/0@2\s+shipping\s+k2\s+db down/);
  });
});

describe('kpat dlt redrive', () => {
  it('warns on stderr how many dead letters failed deserialization or validation, and still sends them', async () => {
    const res = await kpat(['dlt', 'redrive', 'poison.v1.dlt']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe(
      'kpat: warning: sent 2 dead letters that failed deserialization or validation: the same bytes fail the same way again unless the consumer (its parser or schema) was fixed since — if it was not, use --skip-invalid\n',
    );
    expect(res.stdout).toBe('sent 3 of 3 dead letters to poison.v1\n');
    expect(await readTopic(tb.conn, 'poison.v1')).toHaveLength(3);
  });

  it('says the same for a dry run, and --skip-invalid leaves them out', async () => {
    const dry = await kpat(['dlt', 'redrive', 'orders.v1.dlt', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(/^kpat: warning: would send 1 dead letter that failed deserialization or validation: /);
    expect(json(dry.stdout).at(-1)).toMatchObject({type: 'redrive-summary', dryRun: true, sent: 4, invalidSent: 1, invalidSkipped: 0});

    const skipping = await kpat(['dlt', 'redrive', 'orders.v1.dlt', '--skip-invalid']);
    expect(skipping.code).toBe(0);
    expect(skipping.stderr).toBe('');
    expect(skipping.stdout).toBe('sent 3 of 4 dead letters to orders.v1\nskipped 1 that failed deserialization or validation (--skip-invalid)\n');
    expect((await readTopic(tb.conn, 'orders.v1')).map((r) => r.key?.toString())).toEqual(['k0', 'k1', 'k2']);
  });

  it('--to a topic that does not exist yet sends there (the broker creates it)', async () => {
    const res = await kpat(['dlt', 'redrive', 'orders.v1.dlt', '--to', 'fresh.v1', '--filter', 'positive', '--json']);
    expect(res.code).toBe(0);
    expect(json(res.stdout).at(-1)).toMatchObject({type: 'redrive-summary', sent: 1, filteredOut: 3});
    expect((await readTopic(tb.conn, 'fresh.v1')).map((r) => r.key?.toString())).toEqual(['k3']);
  });

  it('refuses a topic that holds records but no dead letters', async () => {
    const res = await kpat(['dlt', 'redrive', 'plain.v1', '--to', 'elsewhere.v1']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'kpat: plain.v1 is not a dead-letter topic: it holds 1 record, none with a kafka_dlt-original-topic header — give the DLT itself, e.g. orders.v1.dlt (`kpat dlt inspect` shows what a topic holds)\n',
    );
    expect(await readTopic(tb.conn, 'plain.v1')).toHaveLength(1);
  });

  it('says there is nothing to redrive on an empty dead-letter topic', async () => {
    const res = await kpat(['dlt', 'redrive', 'empty.v1.dlt']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('empty.v1.dlt is empty: nothing to redrive\n');
  });
});
