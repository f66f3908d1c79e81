import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {describe, expect, it} from 'vitest';
import {brokerFlags} from '../../src/cli/broker-flags.js';
import {ConfigError} from '../../src/core/errors.js';
import {findBrokerJs} from '../../src/stack/bin.js';
import {parseBrokerArgs} from '../../src/stack/broker-args.js';
import {readStackStateFile} from '../../src/stack/state.js';
import {probeApiVersions} from '../../src/stack/probe.js';
import {tempDir} from '../helpers/broker.js';

describe('the broker process entry point', () => {
  it('takes the defaults of `kpat broker start`', () => {
    const {config} = parseBrokerArgs(['broker', 'start']);
    expect(config).toMatchObject({
      host: brokerFlags.host.default,
      port: brokerFlags.port.default,
      fsync: brokerFlags.fsync.default,
      autoCreateTopics: brokerFlags['auto-create-topics'].default,
      defaultPartitions: brokerFlags['default-partitions'].default,
    });
  });

  it('reads the same flags, with or without the leading `broker start`', () => {
    const args = ['--host', '0.0.0.0', '-p', '0', '-d', 'rel/data', '--fsync', 'never', '--no-auto-create-topics', '--default-partitions', '3', '--state-file', '/s.json', '--log-file', '/b.log'];
    const expected = {
      config: {host: '0.0.0.0', port: 0, dataDir: resolve('rel/data'), fsync: 'never', autoCreateTopics: false, defaultPartitions: 3, maxOpenLogFiles: 128},
      stateFile: '/s.json',
      logFile: '/b.log',
    };
    expect(parseBrokerArgs(['broker', 'start', ...args])).toEqual(expected);
    expect(parseBrokerArgs(args)).toEqual(expected);
  });

  it('reads every option `kpat up` may pass on (one table for both parsers)', () => {
    const {config} = parseBrokerArgs(['--max-open-log-files', '16', '--default-partitions', '4', '--no-auto-create-topics']);
    expect(config).toMatchObject({maxOpenLogFiles: 16, defaultPartitions: 4, autoCreateTopics: false});
    expect(parseBrokerArgs([]).config.maxOpenLogFiles).toBe(brokerFlags['max-open-log-files'].default);
    expect(() => parseBrokerArgs(['--max-open-log-files', '2'])).toThrow(/--max-open-log-files must be an integer from 4/);
  });

  it('refuses bad values and unknown flags as usage errors naming them', () => {
    expect(() => parseBrokerArgs(['--port', '70000'])).toThrow(new ConfigError('--port must be an integer from 0 to 65535, got 70000'));
    expect(() => parseBrokerArgs(['--fsync', 'sometimes'])).toThrow(/--fsync must be always or never, got sometimes/);
    expect(() => parseBrokerArgs(['--default-partitions', '0'])).toThrow(/--default-partitions must be an integer from 1/);
    expect(() => parseBrokerArgs(['--prot', '1'])).toThrow(/--prot.*kpat broker start/);
  });

  it('runs the broker: state file and log as `kpat broker start` writes them, removed on SIGTERM; exit 2 on bad usage', async () => {
    const dir = tempDir('kpat-broker-main-');
    const stateFile = join(dir, 'stack.json');
    const child = spawn(process.execPath, [findBrokerJs(), 'broker', 'start', '--port', '0', '--data-dir', join(dir, 'data'), '--state-file', stateFile], {stdio: ['ignore', 'ignore', 'pipe']});
    let log = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    while (!readStackStateFile(stateFile)) await new Promise((r) => setTimeout(r, 20));
    const state = readStackStateFile(stateFile)!;
    expect(state).toMatchObject({pid: child.pid, host: '127.0.0.1', dataDir: join(dir, 'data'), fsync: 'always'});
    expect(await probeApiVersions(state.host, state.port)).toBe(true);
    expect(log).toMatch(new RegExp(`^\\S+Z listening on 127\\.0\\.0\\.1:${state.port} \\(data: ${join(dir, 'data')}, fsync: always\\)`));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(stateFile)).toBe(false);
    expect(log).toMatch(/SIGTERM: stopping[\s\S]*stopped\n$/);

    const bad = spawn(process.execPath, [findBrokerJs(), 'broker', 'start', '--port', 'x'], {stdio: ['ignore', 'ignore', 'pipe']});
    let err = '';
    bad.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    expect(await new Promise((r) => bad.once('exit', r))).toBe(2);
    expect(err).toBe('kpat: --port must be an integer from 0 to 65535, got x\n');
  });
});
