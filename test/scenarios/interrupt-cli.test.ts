import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {RUN_JS} from '../helpers/cli.js';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

const fastRetry = fileURLToPath(new URL('../fixtures/retry-fast.yaml', import.meta.url));

/** Runs the CLI, sends SIGINT once `ready` matches its stdout, and returns what it wrote and how it exited. */
async function interrupted(args: string[], ready: RegExp): Promise<{code: number | null; stdout: string; stderr: string; sawReady: boolean}> {
  const child = spawn(process.execPath, [RUN_JS, ...args, '--brokers', tb.bootstrap], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, CI: 'true', FORCE_COLOR: '0'}});
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + 30_000;
  while (!ready.test(stdout + stderr) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  const sawReady = ready.test(stdout + stderr);
  child.kill('SIGINT');
  const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  const code = await exited;
  clearTimeout(killer);
  return {code, stdout, stderr, sawReady};
}

type Line = {type: string; [k: string]: unknown};
const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

// Each run is stopped while its workload is still being sent (slow rates), so none could have finished.
const RUNS: Array<{kind: string; args: string[]}> = [
  {kind: 'dlt', args: ['scenario', 'dlt', '--count', '400', '--rate', '40']},
  {kind: 'retry', args: ['scenario', fastRetry, '--count', '400', '--rate', '40']},
  {kind: 'saga', args: ['scenario', 'saga', '--count', '400', '--rate', '40']},
  {kind: 'replay', args: ['scenario', 'replay', '--count', '400', '--rate', '40']},
];

describe('an interrupted scenario (SIGINT) says so in every kind, never OK, and exits 130', () => {
  for (const {kind, args} of RUNS) {
    it(`${kind}: the JSON report has interrupted: true and ok: false`, async () => {
      const res = await interrupted([...args, '--output', 'json'], /"type":"workload-progress"/);
      expect(res.sawReady).toBe(true);
      expect(res.code).toBe(130);
      const report = lines(res.stdout).at(-1)!;
      expect(report).toMatchObject({type: 'report', interrupted: true, ok: false});
      expect(res.stderr).toMatch(/interrupted/);
    }, 90_000);

    it(`${kind}: the plain report says INTERRUPTED`, async () => {
      const res = await interrupted([...args, '--output', 'plain'], /running .* · run /);
      expect(res.sawReady).toBe(true);
      expect(res.code).toBe(130);
      expect(res.stdout).toMatch(/^scenario .* · run \w+ · INTERRUPTED after \d+\.\ds$/m);
      expect(res.stdout).not.toMatch(/ · OK in /);
    }, 90_000);
  }
});
