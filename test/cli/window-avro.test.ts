import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {HostedRegistry} from '../../src/stack/registry-host.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {runCli} from '../helpers/cli.js';
import {startTestRegistry} from '../helpers/registry.js';
import {sortResults, windowOutput} from '../helpers/window-workload.js';

// kpat window on Avro values (Confluent wire format), as kpat produce --value-format avro writes them:
// --by, --time-field and the --agg field are fields of the decoded record.

const SALE = JSON.stringify({
  type: 'record',
  name: 'Sale',
  namespace: 'shop',
  fields: [
    {name: 'customer', type: 'string'},
    {name: 'amount', type: 'double'},
    {name: 'at', type: 'long'},
  ],
});
const files = tempDir('kpat-window-avro-');
const saleFile = join(files, 'sale.avsc');
writeFileSync(saleFile, SALE);

let tb: TestBroker;
let hosted: HostedRegistry;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  tb = await startTestBroker();
  hosted = await startTestRegistry(tb);
  env = {KPAT_HOME: tempDir('kpat-window-avro-home-'), KPAT_BROKERS: tb.bootstrap, KPAT_REGISTRY_URL: hosted.url};
  const sales = [
    {customer: 'c1', amount: 10, at: 1000},
    {customer: 'c2', amount: 5, at: 2000},
    {customer: 'c1', amount: 2.5, at: 9000},
    {customer: 'c2', amount: 1, at: 12_000},
    {customer: 'c1', amount: 4, at: 15_000},
    // Moves stream time past both windows' ends: they close.
    {customer: 'c3', amount: 1, at: 40_000},
  ];
  const produced = await runCli(['produce', 'sales.avro', '--value-format', 'avro', '--schema', saleFile], {env, input: sales.map((s) => JSON.stringify(s)).join('\n') + '\n'});
  expect(produced.code).toBe(0);
}, 60_000);
afterAll(async () => {
  await hosted.close();
  await tb.stop();
});

const window = (...extra: string[]) =>
  runCli(['window', 'sales.avro', '--size', '10s', '--by', 'customer', '--time-field', 'at', '--agg', 'sum:amount', '--emit', 'final', '--from-beginning', '--until-end', '--output', 'json', ...extra], {env, timeoutMs: 60_000});

const SUMS = sortResults([
  {key: 'c1', start: 0, end: 10_000, value: 12.5},
  {key: 'c2', start: 0, end: 10_000, value: 5},
  {key: 'c2', start: 10_000, end: 20_000, value: 1},
  {key: 'c1', start: 10_000, end: 20_000, value: 4},
]).map((w) => ({...w, final: true}));

describe('kpat window on Avro values', () => {
  for (const format of [[], ['--value-format', 'avro']]) {
    it(`groups, times and sums fields of the decoded records (${format.length === 0 ? 'auto, the default' : 'avro'})`, async () => {
      const res = await window(...format);
      expect(res.stderr).not.toMatch(/kpat: /);
      expect(res.code).toBe(0);
      const out = windowOutput(res.stdout);
      expect(sortResults(out.results)).toEqual(SUMS);
      expect(out.summary).toMatchObject({records: 6, results: 4, late: 0, skipped: 0});
    });
  }

  it('--value-format json on Avro values exits 1 naming the record and the fix; a wrong format exits 2', async () => {
    const res = await window('--value-format', 'json');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/sales\.avro 0@0: the value is not json.*--value-format/);
    const wrong = await window('--value-format', 'xml');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/auto, avro, json/);
  });
});
