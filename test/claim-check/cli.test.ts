import {execFile} from 'node:child_process';
import {createHash, randomBytes} from 'node:crypto';
import {rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {jsonLines, runCli} from '../helpers/cli.js';
import {kcat} from '../helpers/kcat.js';
import {readTopic} from '../helpers/read-topic.js';

const MIB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const PY_READ = join(import.meta.dirname, '..', 'fixtures', 'python-read-topic.py');

let tb: TestBroker;
let home: string;
const cli = (args: string[]) => runCli([...args, '--brokers', tb.bootstrap], {env: {KPAT_HOME: home, KPAT_BLOB_STORE: ''}, timeoutMs: 60_000});

beforeAll(async () => {
  tb = await startTestBroker();
  home = tempDir('kpat-claim-home-');
});
afterAll(async () => {
  await tb.stop();
  rmSync(home, {recursive: true, force: true});
});

function pythonRead(topic: string, count: number): Promise<Array<{offset: number; value_hex: string; headers: Record<string, string>}>> {
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', [PY_READ, tb.bootstrap, topic, String(count)], {timeout: 90_000}, (error, stdout, stderr) =>
      error ? reject(new Error(`python-read-topic: ${stderr || error.message}`)) : resolve(stdout.trim().split('\n').map((l) => JSON.parse(l) as {offset: number; value_hex: string; headers: Record<string, string>})),
    );
  });
}

describe('kpat produce/consume --claim-check', () => {
  it('a plain produce over the limit fails naming --claim-check; with --claim-check the payload round-trips byte for byte', async () => {
    const file = join(home, 'scan.bin');
    const payload = randomBytes(3 * MIB);
    writeFileSync(file, payload);
    const refused = await cli(['produce', 'docs.v1', '--value-file', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/max\.message\.bytes.*--claim-check/);

    const sent = await cli(['produce', 'docs.v1', '--claim-check', '--value-file', file, '--key', 'doc-1', '--json']);
    expect(sent.code).toBe(0);
    const [produced] = jsonLines(sent.stdout);
    expect(produced).toMatchObject({type: 'produced', claimCheck: {sha256: sha(payload), size: payload.length, uploaded: true}});

    const [record] = await readTopic(tb.conn, 'docs.v1');
    expect(record!.value!.length).toBeLessThan(500);

    const read = await cli(['consume', 'docs.v1', '--claim-check', '--from-beginning', '--exit', '--json']);
    expect(read.code).toBe(0);
    const [line] = jsonLines(read.stdout);
    expect(line).toMatchObject({key: 'doc-1', headers: {'kpat-claim-check': '1'}, claimCheck: {sha256: sha(payload), size: payload.length}});
    // Plain output carries the payload's bytes as they are (then a newline).
    const plain = await new Promise<Buffer>((resolve, reject) => {
      execFile(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'run.js'), 'consume', 'docs.v1', '--claim-check', '--from-beginning', '--max', '1', '--brokers', tb.bootstrap], {encoding: 'buffer', maxBuffer: 16 * MIB, env: {...process.env, KPAT_HOME: home, CI: 'true'}}, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    });
    expect(sha(plain.subarray(0, plain.length - 1))).toBe(sha(payload));
  });

  it('the same payload twice: one blob, two records (the second upload skipped)', async () => {
    const file = join(home, 'twice.bin');
    writeFileSync(file, randomBytes(2 * MIB));
    const first = await cli(['produce', 'twice.v1', '--claim-check', '--value-file', file, '--json']);
    const second = await cli(['produce', 'twice.v1', '--claim-check', '--value-file', file]);
    expect(jsonLines(first.stdout)[0]).toMatchObject({claimCheck: {uploaded: true}});
    expect(second.stdout).toMatch(/1 already there, not uploaded again/);
    const refs = (await readTopic(tb.conn, 'twice.v1')).map((r) => JSON.parse(r.value!.toString()) as {sha256: string});
    expect(refs).toHaveLength(2);
    expect(refs[0]!.sha256).toBe(refs[1]!.sha256);
  });

  it('inline payloads stay unmarked and unchanged for a plain kafkajs consumer, kcat and confluent-kafka (Python)', async () => {
    const lines = ['{"orderId":"o-1"}', 'plain text é', '{"orderId":"o-3"}'];
    const sent = await runCli(['produce', 'inline.v1', '--claim-check', '--brokers', tb.bootstrap], {env: {KPAT_HOME: home}, input: lines.join('\n') + '\n'});
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/0 through .*, 3 inline/);

    const kafka = new Kafka({brokers: [tb.bootstrap], logLevel: logLevel.NOTHING});
    const consumer = kafka.consumer({groupId: 'plain-kafkajs'});
    const seen: Array<{value: string; headers: string[]}> = [];
    await consumer.connect();
    await consumer.subscribe({topic: 'inline.v1', fromBeginning: true});
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({message}) => {
          seen.push({value: message.value!.toString('utf8'), headers: Object.keys(message.headers ?? {})});
          if (seen.length === lines.length) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(seen).toEqual(lines.map((value) => ({value, headers: []})));

    expect(await kcat(['-b', tb.bootstrap, '-t', 'inline.v1', '-C', '-e', '-q', '-f', '%s|%h\\n'])).toBe(lines.map((l) => `${l}|\n`).join(''));
    const py = await pythonRead('inline.v1', lines.length);
    expect(py.map((r) => [Buffer.from(r.value_hex, 'hex').toString('utf8'), r.headers])).toEqual(lines.map((l) => [l, {}]));
  });

  it('inline values under the threshold are never batched together over the limit', async () => {
    // Two lines of 700 KiB: each travels inline, the two together would be over 1 MiB in one batch.
    const line = 'y'.repeat(700 * 1024);
    const sent = await runCli(['produce', 'two-inline.v1', '--claim-check', '--brokers', tb.bootstrap], {env: {KPAT_HOME: home}, input: `${line}\n${line}\n`, timeoutMs: 60_000});
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/produced 2 records .* 0 through .*, 2 inline/);
    expect((await readTopic(tb.conn, 'two-inline.v1')).map((r) => r.value!.length)).toEqual([line.length, line.length]);
  });

  it('a marked record is a small JSON reference with its header for kcat and confluent-kafka', async () => {
    const sent = await runCli(['produce', 'marked.v1', '--claim-check', '--always', '--brokers', tb.bootstrap], {env: {KPAT_HOME: home}, input: 'tiny\n'});
    expect(sent.code).toBe(0);
    const out = await kcat(['-b', tb.bootstrap, '-t', 'marked.v1', '-C', '-e', '-q', '-f', '%h %s\\n']);
    expect(out).toMatch(/^kpat-claim-check=1 \{"uri":"file:\/\/.*","sha256":"[0-9a-f]{64}","size":4,"contentType":"application\/octet-stream","compression":"none"\}\n$/);
    const [py] = await pythonRead('marked.v1', 1);
    expect(py!.headers).toEqual({'kpat-claim-check': '1'});
    expect(JSON.parse(Buffer.from(py!.value_hex, 'hex').toString())).toMatchObject({sha256: sha(Buffer.from('tiny')), size: 4});
  });

  it('consume --claim-check reports a missing blob, goes on, and exits 1', async () => {
    const store = tempDir('kpat-claim-store-');
    try {
      await runCli(['produce', 'gone.v1', '--claim-check', '--always', '--blob-store', store, '--brokers', tb.bootstrap], {env: {KPAT_HOME: home}, input: 'first\nsecond\n'});
      rmSync(join(store, sha(Buffer.from('first')).slice(0, 2)), {recursive: true, force: true});
      const read = await cli(['consume', 'gone.v1', '--claim-check', '--from-beginning', '--exit', '--json']);
      expect(read.code).toBe(1);
      const lines = jsonLines(read.stdout);
      expect(lines.map((l) => l.type ?? l.value)).toEqual(['claim-check-failed', 'second']);
      expect(lines[0]).toMatchObject({reason: 'blob-missing', offset: 0});
      expect(read.stderr).toMatch(/1 record could not be resolved/);
    } finally {
      rmSync(store, {recursive: true, force: true});
    }
  });

  it('usage mistakes exit 2 naming the fix', async () => {
    const always = await cli(['produce', 'x.v1', '--always', '--value', 'v']);
    expect(always.code).toBe(2);
    expect(always.stderr).toMatch(/--claim-check/);
    const store = await cli(['produce', 'x.v1', '--claim-check', '--blob-store', 'ftp://nowhere/x', '--value', 'v']);
    expect(store.code).toBe(2);
    expect(store.stderr).toMatch(/s3:\/\/bucket\/prefix/);
    const grace = await cli(['claim-check', 'gc', '--grace', 'soon']);
    expect(grace.code).toBe(2);
    expect(grace.stderr).toMatch(/--grace "soon" is not a duration/);
  });
});

describe('kpat claim-check gc', () => {
  it('says what it would delete and why in a dry run, deletes orphans past the grace period with --delete, keeps referenced blobs', async () => {
    const store = tempDir('kpat-claim-gc-');
    try {
      await runCli(['produce', 'gc.v1', '--claim-check', '--always', '--blob-store', store, '--brokers', tb.bootstrap], {env: {KPAT_HOME: home}, input: 'kept\n'});
      // An orphan: what a produce leaves when it dies after the upload, before its record is written.
      const {LocalBlobStore} = await import('../../src/patterns/claim-check/local-store.js');
      const orphan = Buffer.from('orphan payload');
      await new LocalBlobStore(store).put(sha(orphan), orphan, {contentType: 'text/plain', topic: 'gc.v1'});
      const young = await cli(['claim-check', 'gc', '--blob-store', store, '--topic', 'gc.v1']);
      expect(young.code).toBe(0);
      expect(young.stdout).toMatch(/kept .* younger than the grace period/);
      expect(young.stdout).toMatch(/would delete 0 blobs/);

      const dry = await cli(['claim-check', 'gc', '--blob-store', store, '--topic', 'gc.v1', '--grace', '0', '--json']);
      const blobs = jsonLines(dry.stdout).filter((l) => l.type === 'blob');
      expect(blobs.map((b) => [b.sha256, b.verdict, b.deleted]).sort()).toEqual(
        [
          [sha(Buffer.from('kept')), 'referenced', false],
          [sha(orphan), 'orphan-past-grace', false],
        ].sort(),
      );
      const real = await cli(['claim-check', 'gc', '--blob-store', store, '--topic', 'gc.v1', '--grace', '0', '--delete']);
      expect(real.code).toBe(0);
      expect(real.stdout).toMatch(/deleted\s+\S+\s+.*older than the grace period/);
      expect(real.stdout).toMatch(/deleted 1 blob .*kept 1/);
      const after = await cli(['consume', 'gc.v1', '--claim-check', '--from-beginning', '--exit']);
      expect(after.stdout).toBe('kept\n');
    } finally {
      rmSync(store, {recursive: true, force: true});
    }
  });
});
