import {readdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {claimCheckInvariants, type ClaimCheckOutcome} from '../../src/scenarios/claim-check/invariants.js';
import type {ReaderPass} from '../../src/scenarios/claim-check/reader-pass.js';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {jsonLines, runCli} from '../helpers/cli.js';
import {kcat} from '../helpers/kcat.js';
import {startTestS3} from '../helpers/s3-server.js';

let tb: TestBroker;
let store: string;
beforeAll(async () => {
  tb = await startTestBroker();
  store = tempDir('kpat-claims-scenario-');
});
afterAll(async () => {
  await tb.stop();
  rmSync(store, {recursive: true, force: true});
});

interface Report {
  type: string;
  ok: boolean;
  runId: string;
  counts: Record<string, number>;
  invariants: Array<{name: string; ok: boolean; detail: string}>;
}

async function scenario(...args: string[]) {
  const res = await runCli(['scenario', 'claim-check', '--brokers', tb.bootstrap, '--blob-store', store, '--output', 'json', ...args], {timeoutMs: 150_000, env: {KPAT_HOME: store}});
  const events = res.code === 0 || res.code === 3 ? jsonLines(res.stdout) : [];
  return {res, events, report: events.at(-1) as unknown as Report};
}

const blobsIn = (dir: string) => readdirSync(dir).flatMap((shard) => readdirSync(join(dir, shard)).filter((f) => /^[0-9a-f]{64}$/.test(f)));

describe('kpat scenario claim-check', () => {
  let first: Report;

  it('every reader reads every intact payload, the damaged ones are dead-lettered with their reason, gc removes exactly the orphans', async () => {
    const {res, events, report} = await scenario('--count', '8', '--seed', '7');
    expect(res.code, res.stderr).toBe(0);
    first = report;
    expect(report).toMatchObject({type: 'report', ok: true});
    expect(report.invariants.map((i) => [i.name, i.ok])).toEqual([
      ['payloads-intact', true],
      ['faults-dead-lettered', true],
      ['offsets-advanced', true],
      ['gc-removed-exactly-the-orphans', true],
      ['no-record-over-the-limit', true],
    ]);
    expect(report.counts).toMatchObject({documents: 10, records: 10, orphans: 2, gcDeleted: 2, deletedBlobs: 1, corruptedBlobs: 1, uploadsSkipped: 2});
    for (const pass of ['primary', 'secondary', 'replay']) expect(report.counts[`${pass}.deadLettered`]).toBe(2);
    expect(report.counts.storeBytes).toBeGreaterThan(report.counts.maxMessageBytes!);
    expect(report.counts.largestRecord).toBeLessThan(report.counts.maxMessageBytes!);
    expect(events.filter((e) => e.type === 'claims-fault').map((e) => e.fault)).toEqual(['orphan', 'orphan', 'deleted', 'corrupted']);

    // From outside: the records kcat reads are small, the DLT holds the faulty ones with their reasons.
    const sizes = (await kcat(['-b', tb.bootstrap, '-t', 'documents.v1', '-C', '-e', '-q', '-f', '%S\\n'])).trim().split('\n').map(Number);
    expect(Math.max(...sizes)).toBeLessThan(report.counts.maxMessageBytes!);
    const reasons = (await kcat(['-b', tb.bootstrap, '-t', 'documents.v1.dlt', '-C', '-e', '-q', '-f', '%h\\n'])).match(/kpat_dlt-reason=[a-z0-9-]+/g)!;
    expect(reasons.sort()).toEqual([...Array(3).fill('kpat_dlt-reason=blob-missing'), ...Array(3).fill('kpat_dlt-reason=sha256-mismatch')]);
    // The run's store after gc: the blobs its records reference, less the one deleted on purpose.
    expect(blobsIn(join(store, 'runs', report.runId))).toHaveLength(report.counts.blobsAfterGc!);
  });

  it('is the same run for the same seed', async () => {
    const {res, report} = await scenario('--count', '8', '--seed', '7');
    expect(res.code).toBe(0);
    const stable = (r: Report) => Object.fromEntries(Object.entries(r.counts).filter(([k]) => !['skippedOtherRuns'].includes(k)));
    expect(stable(report)).toEqual(stable(first));
  });

  it('without faults nothing is dead-lettered and gc has nothing to delete', async () => {
    const {res, report} = await scenario('--count', '6', '--faults', 'off');
    expect(res.code).toBe(0);
    expect(report.counts).toMatchObject({orphans: 0, gcDeleted: 0, 'primary.deadLettered': 0, 'secondary.deadLettered': 0, 'replay.deadLettered': 0});
  });

  it('runs the same against an S3-compatible store', async () => {
    const s3 = await startTestS3('claims');
    try {
      const res = await runCli(['scenario', 'claim-check', '--brokers', tb.bootstrap, '--blob-store', 's3://claims/kpat', '--s3-endpoint', s3.endpoint, '--count', '8', '--seed', '7', '--output', 'json'], {
        timeoutMs: 150_000,
        env: {KPAT_HOME: store, ...s3.env},
      });
      expect(res.code, res.stderr).toBe(0);
      const report = jsonLines(res.stdout).at(-1) as unknown as Report;
      expect(report.ok).toBe(true);
      expect(report.counts).toMatchObject({orphans: 2, gcDeleted: 2, 'replay.deadLettered': 2});
    } finally {
      await s3.stop();
    }
  });

  it('exits 3 when an invariant fails (here: the readers get no time)', async () => {
    const {res, report} = await scenario('--count', '4', '--timeout', '1ms');
    expect(res.code).toBe(3);
    expect(report.ok).toBe(false);
    expect(report.invariants[0]).toMatchObject({name: 'finished-in-time', ok: false});
  });

  it('refuses a flag of another scenario kind with exit 2', async () => {
    const res = await runCli(['scenario', 'claim-check', '--brokers', tb.bootstrap, '--zombie', '1']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--zombie does not apply to claim-check scenarios/);
  });
});

describe('claim-check invariants', () => {
  it('name the payload a reader got wrong and a dead letter with the wrong reason', () => {
    const reader = (read: Record<string, string>) => ({read: new Map(Object.entries(read))}) as unknown as ReaderPass;
    const good = {d1: 'a'.repeat(64), d2: 'b'.repeat(64)};
    const outcome: ClaimCheckOutcome = {
      sent: new Map(Object.entries({...good, d3: 'c'.repeat(64)})),
      faulty: new Map([['d3', 'blob-missing']]),
      passes: {primary: reader(good), secondary: reader({d1: good.d1, d2: 'f'.repeat(64)}), replay: reader(good)},
      dlt: {primary: new Map([['d3', 'blob-missing']]), secondary: new Map([['d3', 'sha256-mismatch']]), replay: new Map([['d3', 'blob-missing']])},
      caughtUp: {primary: true, secondary: true, replay: true},
      orphans: new Set(['o1']),
      gcDeleted: new Set(['o1']),
      storeAfterGc: new Set([good.d1, good.d2]),
      referenced: new Set([good.d1, good.d2, 'c'.repeat(64)]),
      deletedByFault: new Set(['c'.repeat(64)]),
      largestRecord: 400,
      limit: 1048588,
      records: 3,
    };
    const byName = Object.fromEntries(claimCheckInvariants(outcome, ['primary', 'secondary', 'replay']).map((i) => [i.name, i]));
    expect(byName['payloads-intact']).toMatchObject({ok: false, detail: expect.stringContaining('secondary: d2')});
    expect(byName['faults-dead-lettered']).toMatchObject({ok: false, detail: expect.stringContaining('secondary: d3 expected blob-missing, DLT says sha256-mismatch')});
    expect(byName['gc-removed-exactly-the-orphans']!.ok).toBe(true);
  });
});
