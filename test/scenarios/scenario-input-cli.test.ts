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

const scenario = (...args: string[]) => runCli(['scenario', ...args, '--brokers', tb.bootstrap]);
const dir = tempDir('kpat-scenario-input-');
/** A copy of a bundled scenario file with `edit` applied to its text. */
function scenarioFile(name: string, edit: (yaml: string) => string): string {
  const path = join(dir, `${name}-edited.yaml`);
  writeFileSync(path, edit(readFileSync(new URL(`../../scenarios/${name}.yaml`, import.meta.url), 'utf8')));
  return path;
}

describe('kpat scenario: each kind takes its own flags', () => {
  it('refuses a flag of another kind, naming it and the scenarios that take it (exit 2)', async () => {
    const dlt = await scenario('dlt', '--fail', 'inventory');
    expect(dlt.code).toBe(2);
    expect(dlt.stderr).toMatch(/--fail does not apply to dlt scenarios \(it is a saga flag\)/);
    const replay = await scenario('replay', '--poison-rate', '0.1', '--fail-rate', '0.2');
    expect(replay.code).toBe(2);
    expect(replay.stderr).toMatch(/--poison-rate does not apply to replay scenarios \(it is a dlt\/retry flag\); --fail-rate does not apply to replay scenarios \(it is a dlt\/retry and saga and exactly-once flag\)/);
    const saga = await scenario('saga', '--recover-after', '5s');
    expect(saga.code).toBe(2);
    expect(saga.stderr).toMatch(/--recover-after does not apply to saga scenarios \(it is a dlt\/retry flag\)/);
  }, 120_000);

  it('--help groups the flags by the kinds that take them', async () => {
    const help = await runCli(['scenario', '--help']);
    expect(help.code).toBe(0);
    // --crash is a choice for saga and a number for exactly-once: each kind checks its own, the help names saga's choices.
    expect(help.stdout).toMatch(/SAGA, EXACTLY-ONCE FLAGS\n +--crash=<value> +saga: /);
    expect(help.stdout).toMatch(/\(order\|payment\|inventory\)/);
    expect(help.stdout).toMatch(/DLT\/RETRY FLAGS\n(.*\n)*? +--poison-rate=<value>/);
    expect(help.stdout).toMatch(/DLT\/RETRY, SAGA, EXACTLY-ONCE FLAGS\n +--fail-rate=<value>/);
  });

  for (const name of ['dlt', 'retry', 'saga', 'replay']) {
    it(`--count 0 is a usage error for ${name}`, async () => {
      const res = await scenario(name, '--count', '0');
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/--count must be a whole number of at least 1, got "0"/);
    });
  }
});

describe('kpat scenario: strict scenario input', () => {
  it('names an unknown key and its file', async () => {
    const typo = scenarioFile('dlt', (y) => y.replace('poisonRate: 0.05', 'poisonRat: 0.05'));
    const top = scenarioFile('replay', (y) => `${y}retries: 3\n`);
    const topLevel = await scenario(top);
    expect(topLevel.code).toBe(2);
    expect(topLevel.stderr).toContain(`${top}: unknown key "retries"`);
    const res = await scenario(typo);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${typo}: workload: unknown key "poisonRat"`);
    const nested = scenarioFile('saga', (y) => y.replace(/faults:\n/, 'faults:\n  crashes: payment\n'));
    const saga = await scenario(nested);
    expect(saga.code).toBe(2);
    expect(saga.stderr).toContain(`${nested}: faults: unknown key "crashes"`);
  }, 120_000);

  it('says a scenario file does not exist, apart from an unknown scenario name', async () => {
    const missing = await scenario('./nope.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/scenario file \.\/nope\.yaml does not exist/);
    const unknown = await scenario('nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no scenario "nope" — available: claim-check, dlt, exactly-once, outbox, replay, retry, saga, schema-evolution, window,/);
  }, 120_000);
});
