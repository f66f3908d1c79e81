import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ensureTopics} from '../../src/kafka/topics.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {readTopic} from '../helpers/read-topic.js';

let tb: TestBroker;
const env = {KPAT_HOME: tempDir('kpat-cli-'), KPAT_BROKERS: ''};
const kpat = (args: string[], input?: string) => runCli([...args, '--brokers', tb.bootstrap], {env, input, timeoutMs: 20_000});

beforeAll(async () => {
  tb = await startTestBroker();
  await ensureTopics(tb.conn, [{name: 'one.v1', partitions: 1}]);
});
afterAll(async () => tb.stop());

describe('kpat produce: a record the broker did not acknowledge is an error', () => {
  it.each([['all'], ['1'], ['0']])('--partition 7 on a 1-partition topic exits 1 naming the partitions it has, writing nothing (acks %s)', async (acks) => {
    const res = await kpat(['produce', 'one.v1', '--partition', '7', '--value', 'lost?', '--acks', acks]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('kpat: topic one.v1 has no partition 7 (it has 1: 0)\n');
    expect(res.stdout).toBe('');
    expect(await readTopic(tb.conn, 'one.v1')).toEqual([]);
  });

  it('stops at the first record for a missing partition in a stdin batch, after reporting none as produced', async () => {
    const res = await kpat(['produce', 'one.v1', '--partition', '3', '--json'], 'a\nb\n');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/no partition 3/);
  });

  it('still reports partition and offset of each record written to a partition that exists', async () => {
    const res = await kpat(['produce', 'one.v1', '--partition', '0', '--value', 'kept', '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({type: 'produced', topic: 'one.v1', partition: 0, offset: 0});
    expect((await readTopic(tb.conn, 'one.v1')).map((r) => r.value?.toString())).toEqual(['kept']);
  });
});

describe('a topic that does not exist', () => {
  it.each([
    [['consume', 'nosuchtopic']],
    [['consume', 'nosuchtopic', '--from-beginning', '--exit']],
    [['consume', 'nosuchtopic', '--group', 'g1']],
    [['dlt', 'inspect', 'nosuchtopic.dlt']],
    [['dlt', 'redrive', 'nosuchtopic.dlt']],
  ])('kpat %j says so and exits 1', async (args) => {
    const topic = args[0] === 'dlt' ? 'nosuchtopic.dlt' : 'nosuchtopic';
    const res = await kpat(args);
    expect(res.stderr).toBe(`kpat: topic ${topic} does not exist — \`kpat topics\` lists them\n`);
    expect(res.code).toBe(1);
  });
});

describe('help and usage', () => {
  it('kpat help COMMAND prints the same page as kpat COMMAND --help', async () => {
    for (const words of [['scenario'], ['consume'], ['dlt', 'redrive']]) {
      const viaHelp = await runCli(['help', ...words], {env});
      const viaFlag = await runCli([...words, '--help'], {env});
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stderr).toBe('');
      expect(viaHelp.stdout).toMatch(/^USAGE$/m);
      expect(viaHelp.stdout).toContain(`$ kpat ${words.join(' ')}`);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
    }
  });

  it('kpat help lists the commands; an unknown one exits 2', async () => {
    const all = await runCli(['help'], {env});
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^ {2}scenario +/m);
    const unknown = await runCli(['help', 'nosuch'], {env});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('kpat: no command "nosuch" — `kpat help` lists them\n');
  });

  it.each([
    [['consume'], 'kpat: missing argument TOPIC — e.g. kpat consume orders.v1'],
    [['produce', '--value', 'x'], 'kpat: missing argument TOPIC — e.g. kpat produce orders.v1'],
    [['dlt', 'inspect'], 'kpat: missing argument TOPIC — e.g. kpat dlt inspect orders.v1.dlt'],
    [['topics', 'create'], 'kpat: missing argument NAME — e.g. kpat topics create orders.v1'],
    [['scenario'], 'kpat: missing argument NAME — e.g. kpat scenario saga'],
    [['consume', '--partition', '0'], 'kpat: missing argument TOPIC — e.g. kpat consume orders.v1 (give it before --partition, which takes several values)'],
    [['replay'], 'kpat: missing flag --group — e.g. kpat replay --group payments --to earliest'],
  ])('kpat %j names what is missing in one line and exits 2', async (args, line) => {
    const res = await runCli(args, {env});
    expect(res.stderr).toBe(`${line}\n`);
    expect(res.stdout).toBe('');
    expect(res.code).toBe(2);
  });
});
