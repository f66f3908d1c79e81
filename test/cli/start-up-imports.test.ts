import {readdirSync, readFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';

// What a process imports is what its start-up pays for: these pin the heavy
// packages out of the paths that must start fast.
const recorder = pathToFileURL(resolve(import.meta.dirname, '../fixtures/record-imports.mjs')).href;
const home = tempDir('kpat-imports-home-');
const stack = {KPAT_HOME: home, KPAT_BROKERS: ''};
const env = {...stack, NODE_OPTIONS: `--import=${recorder}`};

function importsOf(dir: string, pid?: number): string[] {
  const files = readdirSync(dir).filter((f) => pid === undefined || f === `${pid}.txt`);
  return files.flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n'));
}

const packages = (urls: string[], names: string[]) => names.filter((n) => urls.some((u) => u.includes(`/node_modules/${n}/`)));

describe('start-up imports', () => {
  afterAll(async () => {
    const down = await runCli(['down', '--purge'], {env: stack});
    expect(down.code).toBe(0);
  });

  it('kpat status without a stack loads neither kafkajs, zod, Ink nor React', async () => {
    const dir = tempDir('kpat-imports-');
    const res = await runCli(['status'], {env: {...env, KPAT_IMPORTS_DIR: dir}});
    expect(res.stdout).toMatch(/no kpat broker is running/);
    const urls = importsOf(dir);
    expect(urls.some((u) => u.endsWith('/commands/status.js'))).toBe(true);
    expect(packages(urls, ['kafkajs', 'zod', 'ink', 'react'])).toEqual([]);
  });

  it('kpat up loads no kafkajs, zod, Ink or React, and the broker it starts loads no CLI framework', async () => {
    const dir = tempDir('kpat-imports-');
    const up = await runCli(['up', '--port', '0', '--json'], {env: {...env, KPAT_IMPORTS_DIR: dir}});
    expect(up.code).toBe(0);
    const {pid} = JSON.parse(up.stdout) as {pid: number};
    const broker = importsOf(dir, pid);
    expect(broker.some((u) => u.includes('/broker/broker.js'))).toBe(true);
    expect(packages(broker, ['@oclif/core', 'ink', 'react', 'kafkajs', 'chalk'])).toEqual([]);
    const cli = readdirSync(dir).filter((f) => f !== `${pid}.txt`).flatMap((f) => importsOf(dir, Number(f.replace('.txt', ''))));
    expect(cli.some((u) => u.endsWith('/commands/up.js'))).toBe(true);
    expect(packages(cli, ['kafkajs', 'zod', 'ink', 'react'])).toEqual([]);
  });

  it('kpat topics against the local stack loads no zod, Ink or React (nothing the user gave needs checking)', async () => {
    const dir = tempDir('kpat-imports-');
    const res = await runCli(['topics'], {env: {...env, KPAT_IMPORTS_DIR: dir}});
    expect(res.code).toBe(0);
    const urls = importsOf(dir);
    expect(urls.some((u) => u.endsWith('/commands/topics/index.js'))).toBe(true);
    expect(packages(urls, ['zod', 'ink', 'react'])).toEqual([]);
  });

  it('--brokers is still checked (with zod): a bad list is a usage error', async () => {
    const res = await runCli(['topics', '--brokers', 'nohostport'], {env: stack});
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--brokers: "nohostport" is not a broker list/);
  });
});
