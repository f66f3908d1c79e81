/**
 * SCRAM users through DescribeUserScramCredentials and AlterUserScramCredentials,
 * as `kafka-configs --entity-type users` does. kafkajs has neither API, so kpat's
 * own wire client carries them, over the same TLS and SASL settings. The salted
 * password is computed here: the password itself never leaves this process.
 */
import {randomBytes} from 'node:crypto';
import {ErrorCode} from '../broker/protocol/errors.js';
import {AlterUserScramCredentialsRequestSchema, AlterUserScramCredentialsResponseSchema} from '../broker/protocol/messages/alter-user-scram-credentials.js';
import {DescribeUserScramCredentialsRequestSchema, DescribeUserScramCredentialsResponseSchema} from '../broker/protocol/messages/describe-user-scram-credentials.js';
import {MIN_ITERATIONS, saltedPassword, SCRAM_MECHANISMS, type ScramMechanism} from '../broker/security/scram.js';
import {BrokerWire, type WireSecurity} from '../stack/broker-wire.js';
import {NoBrokerError, OperationError} from '../core/errors.js';
import type {Connection} from './connection.js';

const CODE: Record<ScramMechanism, number> = {'SCRAM-SHA-256': 1, 'SCRAM-SHA-512': 2};
const NAME: Record<number, ScramMechanism> = {1: 'SCRAM-SHA-256', 2: 'SCRAM-SHA-512'};

async function withWire<T>(conn: Connection, fn: (wire: BrokerWire) => Promise<T>): Promise<T> {
  const [host, port] = splitHostPort(conn.brokers[0]!);
  const security: WireSecurity = {};
  if (conn.tls) security.tls = {ca: conn.tls.ca, cert: conn.tls.cert, key: conn.tls.key, rejectUnauthorized: conn.tls.rejectUnauthorized};
  if (conn.sasl) security.sasl = {mechanism: conn.sasl.mechanism.toUpperCase() as 'PLAIN' | ScramMechanism, username: conn.sasl.username, password: conn.sasl.password};
  let wire: BrokerWire;
  try {
    wire = await BrokerWire.connect(host, port, conn.clientId, security);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ECONNREFUSED') throw new NoBrokerError(conn.brokers);
    throw new OperationError(`cannot reach ${conn.brokers[0]}: ${e.message}`);
  }
  try {
    return await fn(wire);
  } finally {
    wire.close();
  }
}

function splitHostPort(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at).replace(/^\[|\]$/g, ''), Number(address.slice(at + 1))];
}

function failure(code: number, message: string | null, what: string): OperationError {
  if (code === ErrorCode.CLUSTER_AUTHORIZATION_FAILED) {
    return new OperationError(`${what}: not authorized (${message ?? 'CLUSTER_AUTHORIZATION_FAILED'}) — connect as a super user (--super-user of \`kpat up\`) or one allowed ALTER/DESCRIBE on the cluster`);
  }
  return new OperationError(`${what}: ${message ?? `Kafka error ${code}`}`);
}

export interface ScramUser {
  user: string;
  mechanisms: Array<{mechanism: ScramMechanism; iterations: number}>;
}

export async function listScramUsers(conn: Connection): Promise<ScramUser[]> {
  return withWire(conn, async (wire) => {
    const res = await wire.request(DescribeUserScramCredentialsRequestSchema, DescribeUserScramCredentialsResponseSchema, 0, {users: null});
    if (res.errorCode !== ErrorCode.NONE) throw failure(res.errorCode, res.errorMessage, 'listing users failed');
    return res.results.map((r) => ({user: r.user, mechanisms: r.credentialInfos.map((c) => ({mechanism: NAME[c.mechanism]!, iterations: c.iterations}))}));
  });
}

/** Sets the user's password for each mechanism (both SCRAM ones by default). */
export async function upsertScramUser(conn: Connection, user: string, password: string, mechanisms: readonly ScramMechanism[] = SCRAM_MECHANISMS, iterations = MIN_ITERATIONS): Promise<void> {
  const upsertions = mechanisms.map((m) => {
    const salt = randomBytes(32);
    return {name: user, mechanism: CODE[m], iterations, salt, saltedPassword: saltedPassword(m, password, salt, iterations)};
  });
  await alter(conn, {deletions: [], upsertions}, `setting user ${user}`);
}

/** Removes the user's credentials (every mechanism it has, unless some are named). */
export async function removeScramUser(conn: Connection, user: string, mechanisms?: readonly ScramMechanism[]): Promise<ScramMechanism[]> {
  const has = (await listScramUsers(conn)).find((u) => u.user === user)?.mechanisms.map((m) => m.mechanism) ?? [];
  const gone = (mechanisms ?? has).filter((m) => has.includes(m));
  if (gone.length === 0) throw new OperationError(`user ${user} has no SCRAM credentials${mechanisms ? ` for ${mechanisms.join(', ')}` : ''} — \`kpat users list\` shows who has`);
  await alter(conn, {deletions: gone.map((m) => ({name: user, mechanism: CODE[m]})), upsertions: []}, `removing user ${user}`);
  return gone;
}

async function alter(conn: Connection, body: {deletions: Array<{name: string; mechanism: number}>; upsertions: Array<{name: string; mechanism: number; iterations: number; salt: Buffer; saltedPassword: Buffer}>}, what: string): Promise<void> {
  await withWire(conn, async (wire) => {
    const res = await wire.request(AlterUserScramCredentialsRequestSchema, AlterUserScramCredentialsResponseSchema, 0, body);
    const bad = res.results.find((r) => r.errorCode !== ErrorCode.NONE);
    if (bad) throw failure(bad.errorCode, bad.errorMessage, `${what} failed`);
  });
}
