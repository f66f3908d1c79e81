import type {Connection} from './connection.js';
import {KpatError, NoBrokerError, noSuchTopic, OperationError} from '../core/errors.js';

/** One link of a kafkajs error chain (retries exceeded → connection error → socket error). */
interface ErrorLink {
  name?: string;
  code?: string;
  type?: string;
  message?: string;
  apiName?: string;
  /** host:port of the broker a kafkajs connection error is about. */
  broker?: string;
  cause?: unknown;
  originalError?: unknown;
}

function chainOf(error: unknown): ErrorLink[] {
  const links: ErrorLink[] = [];
  let cur = error as ErrorLink | undefined;
  for (let i = 0; cur && typeof cur === 'object' && i < 6; i++) {
    links.push(cur);
    cur = (cur.originalError ?? cur.cause) as ErrorLink | undefined;
  }
  return links;
}

/** Kafka's error code name (UNKNOWN_TOPIC_OR_PARTITION …) of an error or of what it wraps (retries exceeded). */
export function kafkaErrorType(error: unknown): string | undefined {
  return chainOf(error).find((l) => l.type)?.type;
}

/** Where the broker list came from, so a message can say what to fix. */
function brokersFrom(conn: Connection): string {
  switch (conn.source) {
    case 'flag':
      return '--brokers';
    case 'env':
      return 'KPAT_BROKERS';
    case 'config':
      return 'brokers in kpat.config.json';
    case 'local-stack':
      return 'the `kpat up` stack (see `kpat status`)';
  }
}

// Node's codes for a certificate the client cannot verify.
const UNTRUSTED_CERT = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** Why a connection failed, from the socket/TLS/SASL error kafkajs wraps; undefined when it is not a connection failure. */
function connectionFailure(links: ErrorLink[], conn: Connection): KpatError | undefined {
  // The broker that failed: a bootstrap address, or one the cluster advertised in its metadata.
  const failing = links.find((l) => typeof l.broker === 'string')?.broker;
  const advertised = failing !== undefined && !conn.brokers.includes(failing);
  const at = failing ?? conn.brokers.join(',');
  const codes = new Set(links.map((l) => l.code).filter((c): c is string => typeof c === 'string'));
  const text = links.map((l) => l.message ?? '').join(' | ');
  const has = (name: string) => links.some((l) => l.name === name);

  if (has('KafkaJSSASLAuthenticationError')) {
    const why = links.find((l) => l.name === 'KafkaJSSASLAuthenticationError')?.message ?? '';
    if (/mechanism is not supported/.test(why)) {
      return new OperationError(`the broker at ${at} does not accept SASL mechanism ${conn.sasl?.mechanism ?? '?'} — pass the --sasl-mechanism the cluster is configured for`);
    }
    return new OperationError(`SASL authentication failed at ${at} (${why}) — check the username and password (--sasl-username, KPAT_SASL_PASSWORD) and --sasl-mechanism`);
  }
  if (conn.sasl && links.some((l) => l.type === 'UNSUPPORTED_SASL_MECHANISM')) {
    return new OperationError(`the broker at ${at} does not accept SASL mechanism ${conn.sasl.mechanism} — pass the --sasl-mechanism the cluster is configured for`);
  }
  const noSasl = (l: ErrorLink) => l.type === 'ILLEGAL_SASL_STATE' || (l.name === 'KafkaJSServerDoesNotSupportApiKey' && (l.apiName ?? 'SaslHandshake').startsWith('Sasl'));
  if (conn.sasl && links.some(noSasl)) {
    return new OperationError(`the broker at ${at} has no SASL on this listener (it refuses SaslHandshake) — drop --sasl-mechanism (or sasl in kpat.config.json), or point ${brokersFrom(conn)} at the cluster's SASL listener`);
  }

  const certCode = [...codes].find((c) => UNTRUSTED_CERT.has(c));
  if (certCode) {
    return new OperationError(`the TLS certificate of the broker at ${at} is not trusted (${certCode}) — pass --tls-ca with the CA that signed it (tls.ca in kpat.config.json), or --tls-insecure to skip the check`);
  }
  if (codes.has('CERT_HAS_EXPIRED')) {
    return new OperationError(`the TLS certificate of the broker at ${at} has expired — the cluster needs a renewed certificate (--tls-insecure skips the check)`);
  }
  if (codes.has('ERR_TLS_CERT_ALTNAME_INVALID')) {
    return new OperationError(`the TLS certificate of the broker at ${at} is for another host name — connect with a name the certificate lists, or --tls-insecure to skip the check`);
  }
  if (conn.tls && /before secure TLS connection was established/i.test(text)) {
    return new OperationError(`TLS handshake with ${at} failed: the broker hung up before TLS was established — it is probably a plaintext listener: drop --tls (or tls in kpat.config.json), or use the cluster's TLS port`);
  }
  if (conn.tls && [...codes].some((c) => c.startsWith('ERR_SSL_') || c.startsWith('ERR_TLS_'))) {
    return new OperationError(`TLS handshake with ${at} failed (${[...codes].join(', ')}) — check --tls-ca, --tls-cert and --tls-key`);
  }

  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN')) {
    const host = /(?:ENOTFOUND|EAI_AGAIN) (\S+)/.exec(text)?.[1] ?? at;
    return new NoBrokerError(conn.brokers, `cannot resolve host ${host} (DNS lookup failed) — check the host name in ${brokersFrom(conn)}`);
  }
  if (advertised && (codes.has('ECONNREFUSED') || codes.has('ETIMEDOUT') || /Connection timeout/i.test(text))) {
    return new NoBrokerError(
      conn.brokers,
      `the cluster at ${conn.brokers.join(',')} answered, but the broker address it advertises, ${failing}, does not (${codes.has('ECONNREFUSED') ? 'connection refused' : 'timed out'}) — the brokers' advertised listeners must be reachable from here`,
    );
  }
  if (codes.has('ECONNREFUSED')) return new NoBrokerError(conn.brokers);
  if (codes.has('EHOSTUNREACH') || codes.has('ENETUNREACH')) {
    return new NoBrokerError(conn.brokers, `no route to ${at} (host unreachable) — check the address in ${brokersFrom(conn)} and your network`);
  }
  if (codes.has('ETIMEDOUT') || /Connection timeout/i.test(text)) {
    return new NoBrokerError(conn.brokers, `no answer from ${at} (connection timed out) — check the address in ${brokersFrom(conn)}, and any firewall in between`);
  }
  if (!conn.tls && has('KafkaJSConnectionClosedError') && has('KafkaJSNumberOfRetriesExceeded')) {
    return new OperationError(`the broker at ${at} closed the connection without answering — if it is a TLS listener, pass --tls (and --tls-ca); if it needs SASL, pass --sasl-mechanism; otherwise check that it is up`);
  }
  if (/connection error|Failed to connect/i.test(text)) return new NoBrokerError(conn.brokers);
  return undefined;
}

/** The broker refused a record batch over the topic's max.message.bytes (Kafka's default 1048588). */
const messageTooLarge = (topic: string | undefined) =>
  new OperationError(
    `the broker refused a record${topic ? ` to ${topic}` : ''} larger than the topic's max.message.bytes (MESSAGE_TOO_LARGE) — send large payloads with --claim-check (the payload goes to a blob store, the record carries a reference), or raise the limit: kpat topics create TOPIC --config max.message.bytes=N`,
  );
/** What the operation was about, so an error can name the resource and the ACL that would allow it. */
export interface ErrorContext {
  topic?: string;
  group?: string;
  /** The Kafka operation on the topic: READ for consumers, WRITE for producers. */
  operation?: 'READ' | 'WRITE' | 'DESCRIBE';
}

/** Who the broker sees: the SASL user, else the certificate subject (mutual TLS), else ANONYMOUS. */
function principalOf(conn: Connection): string {
  if (conn.sasl) return `User:${conn.sasl.username}`;
  return conn.tls?.cert ? 'the principal of your client certificate (User:CN=…)' : 'User:ANONYMOUS';
}

/** Kafka's *_AUTHORIZATION_FAILED as "who may not do what on which resource", and the `kpat acl add` that allows it. */
function authorizationFailure(links: ErrorLink[], conn: Connection, ctx: ErrorContext): KpatError | undefined {
  const type = links.find((l) => typeof l.type === 'string' && l.type.endsWith('AUTHORIZATION_FAILED'))?.type;
  const who = principalOf(conn);
  const grant = (op: string, resource: string) => (conn.sasl ? ` — a super user can allow it: kpat acl add --allow-principal ${who} --operation ${op.toLowerCase()} ${resource}` : ' — an admin must add an ACL for it (kpat acl add)');
  // kafkajs drops FindCoordinator's error code (GROUP_AUTHORIZATION_FAILED there) and says only this.
  if (!type && ctx.group && links.some((l) => l.name === 'KafkaJSGroupCoordinatorNotFound')) {
    return new OperationError(`the cluster gave no coordinator for consumer group ${ctx.group} — if it enforces ACLs, ${who} may not be authorized to READ that group${grant('READ', `--group ${ctx.group}`)}`);
  }
  if (!type) return undefined;
  switch (type) {
    case 'TOPIC_AUTHORIZATION_FAILED': {
      const op = ctx.operation ?? 'DESCRIBE';
      const topic = ctx.topic ?? 'TOPIC';
      return new OperationError(`${who} is not authorized to ${op} topic ${ctx.topic ?? '(the one asked for)'}${grant(op, `--topic ${topic}`)}`);
    }
    case 'GROUP_AUTHORIZATION_FAILED':
      return new OperationError(`${who} is not authorized to READ consumer group ${ctx.group ?? '(the one asked for)'}${grant('READ', `--group ${ctx.group ?? 'GROUP'}`)}`);
    case 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED':
      return new OperationError(`${who} is not authorized to WRITE its transactional id${grant('WRITE', '--transactional-id ID')}`);
    case 'CLUSTER_AUTHORIZATION_FAILED':
      return new OperationError(`${who} is not authorized for this operation on the cluster${grant('ALTER', '--cluster')}`);
    default:
      return new OperationError(`${who} is not authorized (${type})${grant('ALL', '...')}`);
  }
}

/**
 * Turns client errors into kpat errors whose messages name the real cause and
 * the fix. `topic` is the topic the operation was about, for "no such topic".
 */
export function translateKafkaError(error: unknown, conn: Connection, ctx: ErrorContext = {}): KpatError {
  const links = chainOf(error);
  // A kpat error raised inside a kafkajs callback (the partitioner) comes back wrapped.
  const own = links.find((l): l is KpatError => l instanceof KpatError);
  if (own) return own;
  const unauthorized = authorizationFailure(links, conn, ctx);
  if (unauthorized) return unauthorized;
  if (links.some((l) => l.type === 'SECURITY_DISABLED')) {
    return new OperationError(`the broker at ${conn.brokers.join(',')} does not enforce ACLs (SECURITY_DISABLED) — for the local stack, restart it with \`kpat up --acl --super-user User:NAME\``);
  }
  if (ctx.topic && links.some((l) => l.type === 'UNKNOWN_TOPIC_OR_PARTITION')) return noSuchTopic(ctx.topic);
  if (links.some((l) => l.type === 'MESSAGE_TOO_LARGE')) return messageTooLarge(ctx.topic);
  const failure = connectionFailure(links, conn);
  if (failure) return failure;
  const e = error as Error;
  return new OperationError(e.message || String(error));
}
