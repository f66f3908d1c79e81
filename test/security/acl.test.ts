import {Kafka, logLevel} from 'kafkajs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ACLS_FILE} from '../../src/broker/security/authorizer.js';
import {startBroker} from '../../src/broker/broker.js';
import {runCli} from '../helpers/cli.js';
import {kcat} from '../helpers/kcat.js';
import {startSecureTestBroker, type SecureTestBroker} from '../helpers/secure-broker.js';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

// alice may write orders.v1 but not read it; bob may read it in group audit only.
const users = [
  {user: 'admin', password: 'admin-secret'},
  {user: 'alice', password: 'alice-secret'},
  {user: 'bob', password: 'bob-secret'},
];
let tb: SecureTestBroker;

const cli = (who: string, args: string[], input?: string) =>
  runCli([...args, '--brokers', tb.bootstrap, '--tls-ca', tb.tls.ca, '--sasl-mechanism', 'scram-sha-512', '--sasl-username', who], {
    env: {KPAT_SASL_PASSWORD: users.find((u) => u.user === who)!.password, KPAT_HOME: tb.dataDir},
    input,
  });

const kcatAs = (who: string) => [
  '-b', `localhost:${tb.broker.port}`,
  '-X', 'security.protocol=SASL_SSL',
  '-X', `ssl.ca.location=${tb.tls.ca}`,
  '-X', 'sasl.mechanisms=SCRAM-SHA-256',
  '-X', `sasl.username=${who}`,
  '-X', `sasl.password=${users.find((u) => u.user === who)!.password}`,
];

const kafkaAs = (who: string) =>
  new Kafka({
    brokers: [tb.bootstrap],
    ssl: {ca: [readFileSync(tb.tls.ca, 'utf8')]},
    sasl: {mechanism: 'scram-sha-256', username: who, password: users.find((u) => u.user === who)!.password},
    retry: {retries: 1, initialRetryTime: 100},
    logLevel: logLevel.NOTHING,
  });

beforeAll(async () => {
  tb = await startSecureTestBroker({sasl: {mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512']}, users, acl: true, superUsers: ['User:admin']});
  const created = await cli('admin', ['topics', 'create', 'orders.v1']);
  expect(created.code, created.stderr).toBe(0);
  expect((await cli('admin', ['topics', 'create', 'secret.v1'])).code).toBe(0);
  for (const args of [
    ['--allow-principal', 'User:alice', '--operation', 'write', '--topic', 'orders.v1'],
    ['--allow-principal', 'User:bob', '--operation', 'read', '--topic', 'orders.v1', '--group', 'audit'],
  ]) {
    const res = await cli('admin', ['acl', 'add', ...args]);
    expect(res.code, res.stderr).toBe(0);
  }
});
afterAll(async () => tb.stop());

describe('ACLs: alice writes orders.v1, bob reads it in group audit', () => {
  it('kpat acl list shows the rules, and they are kept in acls.json with the data', async () => {
    const res = await cli('admin', ['acl', 'list', '--json']);
    const rules = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(rules.map((r) => `${r.permission} ${r.principal} ${r.operation} ${r.resourceType}:${r.resourceName}`).sort()).toEqual([
      'ALLOW User:alice WRITE TOPIC:orders.v1',
      'ALLOW User:bob READ GROUP:audit',
      'ALLOW User:bob READ TOPIC:orders.v1',
    ]);
    expect(existsSync(join(tb.dataDir, ACLS_FILE))).toBe(true);
  });

  it('kcat: alice produces, alice cannot consume, bob consumes in group audit', async () => {
    await kcat([...kcatAs('alice'), '-t', 'orders.v1', '-P'], 'order-1\norder-2\n');
    await expect(kcat([...kcatAs('alice'), '-t', 'orders.v1', '-C', '-e', '-q'], undefined, 20_000)).rejects.toThrow(/Topic authorization failed/);
    const out = await kcat([...kcatAs('bob'), '-X', 'auto.offset.reset=earliest', '-G', 'audit', 'orders.v1', '-e', '-q'], undefined, 30_000);
    expect(out.trim().split('\n')).toEqual(['order-1', 'order-2']);
    await expect(kcat([...kcatAs('bob'), '-t', 'orders.v1', '-P'], 'forged\n', 20_000)).rejects.toThrow(/authorization failed/i);
  });

  it('kafkajs: unauthorized topics are hidden from bob, a named one answers TOPIC_AUTHORIZATION_FAILED, other groups GROUP_AUTHORIZATION_FAILED', async () => {
    const admin = kafkaAs('bob').admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).toEqual(['orders.v1']);
      await expect(admin.fetchTopicMetadata({topics: ['secret.v1']})).rejects.toMatchObject({type: 'TOPIC_AUTHORIZATION_FAILED'});
      await expect(admin.createTopics({topics: [{topic: 'bobs.v1'}]})).rejects.toThrow();
      await expect(admin.fetchOffsets({groupId: 'other', topics: ['orders.v1']})).rejects.toThrow();
    } finally {
      await admin.disconnect();
    }
    const producer = kafkaAs('bob').producer();
    await producer.connect();
    await expect(producer.send({topic: 'orders.v1', messages: [{value: 'x'}]})).rejects.toMatchObject({type: 'TOPIC_AUTHORIZATION_FAILED'});
    await producer.disconnect();
  });

  it('kpat: alice produces; her consumer is told she may not READ orders.v1 and how to allow it', async () => {
    const produced = await cli('alice', ['produce', 'orders.v1'], 'order-3\n');
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await cli('alice', ['consume', 'orders.v1', '--from-beginning', '-e']);
    expect(consumed.code).toBe(1);
    expect(consumed.stderr).toContain('User:alice is not authorized to READ topic orders.v1');
    expect(consumed.stderr).toContain('kpat acl add --allow-principal User:alice --operation read --topic orders.v1');
  });

  it('kpat: bob reads in group audit, is refused another group and writing', async () => {
    const read = await cli('bob', ['consume', 'orders.v1', '--group', 'audit', '--from-beginning', '-m', '1', '--json']);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toContain('order-3');
    const other = await cli('bob', ['consume', 'orders.v1', '--group', 'other', '--from-beginning', '-m', '1']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('kpat acl add --allow-principal User:bob --operation read --group other');
    const write = await cli('bob', ['produce', 'orders.v1'], 'forged\n');
    expect(write.code).toBe(1);
    expect(write.stderr).toContain('User:bob is not authorized to WRITE topic orders.v1');
  });

  it('only a super user may change ACLs; kpat acl remove takes a rule away', async () => {
    const denied = await cli('alice', ['acl', 'add', '--allow-principal', 'User:alice', '--operation', 'read', '--topic', 'orders.v1']);
    expect(denied.code).toBe(1);
    const removed = await cli('admin', ['acl', 'remove', '--allow-principal', 'User:alice', '--operation', 'write', '--topic', 'orders.v1']);
    expect(removed.code, removed.stderr).toBe(0);
    const write = await cli('alice', ['produce', 'orders.v1'], 'late\n');
    expect(write.code).toBe(1);
  });

  // Last: it stops the shared broker (afterAll's stop() then only cleans up).
  it('ACLs and users survive a restart', async () => {
    const dataDir = tb.dataDir;
    await tb.broker.close();
    const again = await startBroker({port: 0, dataDir, fsync: 'never', acl: true, sasl: {mechanisms: ['SCRAM-SHA-256']}});
    try {
      expect(again.ctx.authorizer.authorize('User:bob', '127.0.0.1', 'READ', 'GROUP', 'audit')).toBe(true);
      expect(again.ctx.authorizer.authorize('User:bob', '127.0.0.1', 'DESCRIBE', 'TOPIC', 'orders.v1')).toBe(true);
      expect(again.ctx.authorizer.authorize('User:bob', '127.0.0.1', 'WRITE', 'TOPIC', 'orders.v1')).toBe(false);
      expect(again.ctx.credentials.list().map((u) => u.user)).toEqual(['admin', 'alice', 'bob']);
    } finally {
      await again.close();
    }
  });
});
