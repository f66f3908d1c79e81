import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

type Line = {type: string; [k: string]: unknown};
const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const cli = (...args: string[]) => runCli([...args, '--brokers', tb.bootstrap], {timeoutMs: 60_000});
const partitionsOf = async (topic: string) => (lines((await cli('topics', 'describe', topic, '--json')).stdout)[0]!.partitions as unknown[]).length;

describe('a scenario whose topic has fewer partitions than its file asks', () => {
  it('adds the missing partitions, says so, and runs', async () => {
    expect((await cli('topics', 'create', 'orders.v1', '--partitions', '1')).code).toBe(0);
    const res = await cli('scenario', 'dlt', '--count', '30', '--rate', '0', '--output', 'json');
    expect(res.code).toBe(0);
    const out = lines(res.stdout);
    expect(out.find((l) => l.type === 'scenario-note')?.text).toBe('topic orders.v1 had 1 partition, the scenario asks for 3: added 2 (records already there stay on their partitions)');
    expect(out.at(-1)).toMatchObject({type: 'report', ok: true});
    expect(await partitionsOf('orders.v1')).toBe(3);

    // Plain output says it too (on stderr), before the run.
    expect((await cli('topics', 'create', 'ledger.payments.v1', '--partitions', '2')).code).toBe(0);
    const plain = await cli('scenario', 'replay', '--count', '50', '--output', 'plain');
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/topic ledger\.payments\.v1 had 2 partitions, the scenario asks for 3: added 1/);
  }, 240_000);

  it('stops with a clear message when the partitions cannot be added', async () => {
    const dir = tempDir('kpat-partitions-');
    const file = join(dir, 'huge.yaml');
    const dlt = readFileSync(new URL('../../scenarios/dlt.yaml', import.meta.url), 'utf8');
    writeFileSync(file, dlt.replaceAll('orders.', 'huge.orders.').replace('{name: huge.orders.v1, partitions: 3}', '{name: huge.orders.v1, partitions: 10001}').replace(/group: kpat\.dlt/, 'group: kpat.huge'));
    for (const t of ['huge.orders.v1', 'huge.orders.v1.dlt', 'huge.orders.processed.v1']) expect((await cli('topics', 'create', t)).code).toBe(0);
    const res = await cli('scenario', file, '--count', '5');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/topic huge\.orders\.v1 has 1 partition but the scenario asks for 10001, and adding partitions failed: .+ — delete the topic \(`kpat topics delete huge\.orders\.v1`\) or ask for 1 in the scenario file/);
  }, 120_000);
});
