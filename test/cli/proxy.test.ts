import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {jsonLines, runCli, startJsonCli, type JsonLine} from '../helpers/cli.js';
import {kcat} from '../helpers/kcat.js';

let tb: TestBroker;
const env = {KPAT_HOME: tempDir('kpat-proxy-cli-'), KPAT_BROKERS: ''};
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

/** `kpat proxy` in its own process, stopped with a signal as a user's Ctrl-C would. */
function startProxy(args: string[]) {
  const proxy = startJsonCli(['proxy', ...args], {env, killAfterMs: 110_000});
  return {...proxy, until: (ok: (lines: JsonLine[]) => boolean, timeoutMs = 40_000) => proxy.until('kpat proxy to print what was expected', ok, timeoutMs)};
}

describe('kpat proxy', () => {
  it('--output json: says where it listens, reports each fault, and prints a summary on SIGINT', async () => {
    const proxy = startProxy(['--to', tb.bootstrap, '--output', 'json', '--delay', '5ms', '--seed', '3']);
    const [started] = await proxy.until((lines) => lines.some((l) => l.type === 'proxy-started'));
    expect(started).toMatchObject({type: 'proxy-started', target: tb.bootstrap, seed: 3, plan: {delayMs: 5}});
    const bootstrap = String(started!.bootstrap);

    await kcat(['-b', bootstrap, '-t', 'proxy.cli', '-P'], 'one\ntwo\nthree\n');
    const out = await kcat(['-b', bootstrap, '-t', 'proxy.cli', '-C', '-e', '-q']);
    expect(out.trim().split('\n')).toEqual(['one', 'two', 'three']);
    await proxy.until((lines) => lines.some((l) => l.type === 'fault' && l.fault === 'delay' && l.api === 'Produce'));

    proxy.child.kill('SIGINT');
    expect(await proxy.exited).toBe(0);
    const lines = jsonLines(proxy.stdout());
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({type: 'proxy-summary', responsesDropped: 0, connectionsCut: 0});
    expect((summary.requests as Record<string, number>).Produce).toBeGreaterThan(0);
    expect(summary.responsesDelayed).toBe(lines.filter((l) => l.type === 'fault' && l.fault === 'delay').length);
  }, 120_000);

  it('without --to it proxies the cluster kpat would use (--brokers here)', async () => {
    const proxy = startProxy(['--brokers', tb.bootstrap, '--output', 'json']);
    const [started] = await proxy.until((lines) => lines.some((l) => l.type === 'proxy-started'));
    expect(started!.target).toBe(tb.bootstrap);
    proxy.child.kill('SIGINT');
    expect(await proxy.exited).toBe(0);
  }, 120_000);

  for (const [args, message] of [
    [['--drop-responses', '1.5'], /--drop-responses must be a probability from 0 to 1, got "1.5"/],
    [['--delay', 'soon'], /--delay must be a duration or a range/],
    [['--delay', '50ms-10ms'], /--delay must be a duration or a range/],
    [['--drop-responses', '0.1', '--drop-apis', 'produce,nope'], /"nope" is not a Kafka API/],
    [['--drop-apis', 'fetch'], /give --drop-responses too/],
    [['--cut', 'x'], /--cut must be a probability/],
    [['--to', 'no-port'], /--to "no-port" is not a broker address — use host:port/],
  ] as const) {
    it(`exits 2 naming the fix for ${args.join(' ')}`, async () => {
      const to = (args as readonly string[]).includes('--to') ? [] : ['--to', tb.bootstrap];
      const result = await runCli(['proxy', ...to, ...args], {env});
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    });
  }

  it('--help teaches the faults with examples', async () => {
    const result = await runCli(['proxy', '--help'], {env});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--drop-responses/);
    expect(result.stdout).toMatch(/idempotent one does not/);
    expect(result.stdout).toMatch(/EXAMPLES/);
  });
});
