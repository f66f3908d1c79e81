import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';

const home = tempDir('kpat-cli-');
const env = {KPAT_HOME: home, KPAT_BROKERS: ''};
const json = (s: string) => s.trim().split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('kpat CLI against a stack it starts', () => {
  beforeAll(async () => {
    const up = await runCli(['up', '--port', '0', '--json'], {env});
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(json(up.stdout)[0]).toMatchObject({type: 'up', alreadyRunning: false});
  });
  afterAll(async () => {
    await runCli(['down', '--purge'], {env});
  });

  it('down stops the stack gracefully and --purge deletes its data; up again starts fresh', async () => {
    const status = json((await runCli(['status', '--json'], {env})).stdout)[0]!;
    await runCli(['produce', 'purge.v1', '--value', 'x'], {env});
    const down = await runCli(['down', '--purge', '--json'], {env});
    expect(json(down.stdout)[0]).toMatchObject({type: 'down', stopped: {pid: status.pid}, purged: status.dataDir});
    expect(existsSync(status.dataDir as string)).toBe(false);
    expect((await runCli(['status'], {env})).stdout).toMatch(/no kpat broker is running/);
    expect((await runCli(['down'], {env})).stdout).toMatch(/no kpat broker was running/);
    const up = await runCli(['up', '--port', '0', '--json'], {env});
    expect(json(up.stdout)[0]).toMatchObject({alreadyRunning: false});
    expect(json((await runCli(['topics', '--json'], {env})).stdout)).toEqual([]);
  });

  it('keeps data across kpat down and kpat up', async () => {
    await runCli(['produce', 'kept.v1', '--value', 'still here'], {env});
    expect((await runCli(['down'], {env})).code).toBe(0);
    expect((await runCli(['up', '--port', '0'], {env})).code).toBe(0);
    const back = await runCli(['consume', 'kept.v1', '--from-beginning', '--exit'], {env});
    expect(back.stdout.trim()).toBe('still here');
  });

  it('says so when a stack is already running, and exits 0', async () => {
    const again = await runCli(['up'], {env});
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already running at 127\.0\.0\.1:\d+/);
  });

  it('reports status with address, pid, topics and bytes on disk', async () => {
    const res = await runCli(['status', '--json'], {env});
    expect(res.code).toBe(0);
    const status = json(res.stdout)[0]!;
    expect(status).toMatchObject({type: 'status', running: true, groups: 0});
    expect(status.bootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
    const plain = await runCli(['status'], {env});
    expect(plain.stdout).toMatch(/address\s+127\.0\.0\.1/);
    expect(plain.stdout).toMatch(/uptime/);
  });

  it('produces stdin lines and consumes them back as JSON', async () => {
    const prod = await runCli(['produce', 'cli.v1', '--key-separator', ':', '--header', 'source=test'], {env, input: 'k1:hello\nk2:{"a":1}\nk1:world\n'});
    expect(prod.code).toBe(0);
    expect(prod.stdout).toMatch(/produced 3 records to cli\.v1/);
    const cons = await runCli(['consume', 'cli.v1', '--from-beginning', '--max', '3', '--output', 'json'], {env});
    expect(cons.code).toBe(0);
    const records = json(cons.stdout);
    expect(records.map((r) => [r.key, r.value, r.offset])).toEqual([
      ['k1', 'hello', 0],
      ['k2', '{"a":1}', 1],
      ['k1', 'world', 2],
    ]);
    expect(records[0]).toMatchObject({topic: 'cli.v1', partition: 0, headers: {source: 'test'}});
    expect(typeof records[0]!.timestamp).toBe('number');
  });

  it('produces one --value with json output carrying the offset, and consume --exit stops at the end', async () => {
    const prod = await runCli(['produce', 'cli.v1', '--value', 'single', '--key', 'k9', '--json'], {env});
    expect(json(prod.stdout)).toEqual([{type: 'produced', topic: 'cli.v1', partition: 0, offset: 3}]);
    const cons = await runCli(['consume', 'cli.v1', '--from-beginning', '--exit'], {env});
    expect(cons.code).toBe(0);
    expect(cons.stdout.trim().split('\n')).toEqual(['hello', '{"a":1}', 'world', 'single']);
  });

  it('creates, lists, describes and deletes topics', async () => {
    const created = await runCli(['topics', 'create', 'admin.v1', '--partitions', '3', '--config', 'retention.ms=60000', '--json'], {env});
    expect(created.code).toBe(0);
    const listed = json((await runCli(['topics', '--json'], {env})).stdout);
    expect(listed.find((t) => t.name === 'admin.v1')).toMatchObject({partitions: 3, records: 0});
    const described = json((await runCli(['topics', 'describe', 'admin.v1', '--json'], {env})).stdout)[0]!;
    expect((described.partitions as unknown[]).length).toBe(3);
    expect(described.configs).toContainEqual({name: 'retention.ms', value: '60000', isDefault: false});
    const dup = await runCli(['topics', 'create', 'admin.v1'], {env});
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    const badConfig = await runCli(['topics', 'create', 'admin.v2', '--config', 'retention.ms=soon'], {env});
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toMatch(/retention\.ms/);
    expect((await runCli(['topics', 'delete', 'admin.v1'], {env})).code).toBe(0);
    const gone = await runCli(['topics', 'describe', 'admin.v1'], {env});
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/does not exist/);
  });

  it('exits 2 on a wrong flag or a bad value, naming it', async () => {
    const wrong = await runCli(['topics', '--bogus'], {env});
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--bogus/);
    const acks = await runCli(['produce', 'x', '--value', 'v', '--acks', '7'], {env});
    expect(acks.code).toBe(2);
    expect(acks.stderr).toMatch(/--acks/);
    const brokers = await runCli(['topics', '--brokers', 'not a broker'], {env});
    expect(brokers.code).toBe(2);
    expect(brokers.stderr).toMatch(/host:port/);
  });
});

describe('kpat CLI with no broker anywhere', () => {
  const emptyHome = tempDir('kpat-cli-none-');
  const cwd = join(emptyHome, 'work');
  mkdirSync(cwd);

  it('topics exits 1 naming kpat up and --brokers', async () => {
    const res = await runCli(['topics'], {env: {KPAT_HOME: emptyHome, KPAT_BROKERS: ''}});
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/kpat up/);
    expect(res.stderr).toMatch(/--brokers/);
    expect(res.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('an unreachable --brokers exits 1 with the address and the fix', async () => {
    const res = await runCli(['topics', '--brokers', '127.0.0.1:1'], {env: {KPAT_HOME: emptyHome}});
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/no broker at 127\.0\.0\.1:1 — run `kpat up` or pass --brokers/);
  });

  it('a broken kpat.config.json exits 2 naming the file', async () => {
    writeFileSync(join(cwd, 'kpat.config.json'), '{"brokers": 42}');
    const res = await runCli(['topics'], {env: {KPAT_HOME: emptyHome, KPAT_BROKERS: ''}, cwd});
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/kpat\.config\.json: brokers/);
  });

  it('status says nothing is running and exits 0', async () => {
    const res = await runCli(['status'], {env: {KPAT_HOME: emptyHome}});
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/no kpat broker is running/);
  });
});
