import {spawn} from 'node:child_process';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Kafka, logLevel} from 'kafkajs';
import {afterEach, describe, expect, it} from 'vitest';
import {isProcessAlive} from '../../src/broker/process-identity.js';
import {tempDir} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';

const homes: string[] = [];
afterEach(async () => {
  for (const home of homes.splice(0)) {
    await runCli(['down'], {env: envOf(home)});
    rmSync(home, {recursive: true, force: true});
  }
});

const envOf = (home: string) => ({KPAT_HOME: home, KPAT_BROKERS: ''});
const json = (s: string) => s.trim().split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);

function newHome(): {home: string; env: Record<string, string>} {
  const home = tempDir('kpat-stack-');
  homes.push(home);
  return {home, env: envOf(home)};
}

async function up(env: Record<string, string>, ...flags: string[]): Promise<Record<string, unknown>> {
  const res = await runCli(['up', '--port', '0', '--json', ...flags], {env});
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return json(res.stdout)[0]!;
}

async function waitDead(pid: number): Promise<void> {
  while (isProcessAlive(pid)) await new Promise((r) => setTimeout(r, 10));
}

describe('the local stack keeps one broker per data dir and recovers from crashes', () => {
  it('a second broker on the stack\'s data dir exits 1 naming the running one', async () => {
    const {env} = newHome();
    const first = await up(env);
    const second = await runCli(['broker', 'start', '--port', '0', '--data-dir', first.dataDir as string], {env, timeoutMs: 15_000});
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`data dir ${first.dataDir as string} is in use by pid ${first.pid as number} (kpat broker at ${first.bootstrap as string})`);
    // The stack is untouched and still serves.
    expect((await runCli(['produce', 'still.v1', '--value', 'ok'], {env})).code).toBe(0);
  });

  it('passes --default-partitions and --no-auto-create-topics on to the broker', async () => {
    const {env} = newHome();
    const started = await up(env, '--default-partitions', '3', '--no-auto-create-topics');
    const kafka = new Kafka({brokers: [started.bootstrap as string], logLevel: logLevel.NOTHING, retry: {retries: 0}});
    const admin = kafka.admin();
    await admin.connect();
    try {
      // Auto-creation off: a metadata request for an unknown topic does not create it.
      await expect(admin.fetchTopicMetadata({topics: ['auto.v1']})).rejects.toThrow(/does not host this topic-partition|unknown/i);
      expect(await admin.listTopics()).toEqual([]);
      // Default partitions: a topic created without a count gets 3.
      await admin.createTopics({topics: [{topic: 'made.v1'}]});
      const meta = await admin.fetchTopicMetadata({topics: ['made.v1']});
      expect(meta.topics[0]!.partitions).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
    const produced = await runCli(['produce', 'auto.v1', '--value', 'x'], {env});
    expect(produced.code).toBe(1);
  });

  it('kpat up right after the broker was SIGKILLed starts a new one holding every acknowledged record', async () => {
    const {env} = newHome();
    const first = await up(env);
    const produced = await runCli(['produce', 'acked.v1', '--acks', 'all'], {env, input: Array.from({length: 50}, (_, i) => `r${i}`).join('\n') + '\n'});
    expect(produced.code).toBe(0);
    process.kill(first.pid as number, 'SIGKILL');
    const second = await up(env);
    expect(second).toMatchObject({alreadyRunning: false, replacedCrashed: first.pid});
    expect(second.pid).not.toBe(first.pid);
    const back = await runCli(['consume', 'acked.v1', '--from-beginning', '--exit'], {env});
    expect(back.code).toBe(0);
    expect(back.stdout.trim().split('\n')).toEqual(Array.from({length: 50}, (_, i) => `r${i}`));
  });

  it('kpat status says the broker died, with the same exit code as after a clean stop', async () => {
    const {env} = newHome();
    const first = await up(env);
    process.kill(first.pid as number, 'SIGKILL');
    await waitDead(first.pid as number);
    const died = await runCli(['status'], {env});
    expect(died.stdout).toMatch(new RegExp(`no kpat broker is running \\(last broker pid ${first.pid as number} exited without stopping cleanly`));
    await up(env);
    expect((await runCli(['down'], {env})).code).toBe(0);
    const stopped = await runCli(['status'], {env});
    expect(stopped.stdout).toMatch(/no kpat broker is running \(KPAT_HOME=/);
    expect(died.code).toBe(0);
    expect(stopped.code).toBe(died.code);
  });

  it('kpat up starts a broker when the state file names a live pid that is not a kpat broker', async () => {
    const {home, env} = newHome();
    const first = await up(env);
    await runCli(['down'], {env});
    const sleeper = spawn('sleep', ['60'], {stdio: 'ignore'});
    try {
      await new Promise((r) => sleeper.once('spawn', r));
      const stateFile = join(home, 'stack.json');
      writeFileSync(stateFile, JSON.stringify({pid: sleeper.pid, host: '127.0.0.1', port: 1, dataDir: first.dataDir, startedAt: new Date().toISOString()}));
      const status = await runCli(['status'], {env});
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/no kpat broker is running/);
      const second = await up(env);
      expect(second).toMatchObject({alreadyRunning: false});
      expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({pid: second.pid});
      // kpat down stops the broker, never the program that had the old pid.
      await runCli(['down'], {env});
      expect(isProcessAlive(sleeper.pid!)).toBe(true);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
