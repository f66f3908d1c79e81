import {existsSync, readFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import type {ConfigFile, Tls, Sasl} from './connection-schemas.js';
import {stackPaths} from '../stack/paths.js';
import {readRunningStack, type StackState} from '../stack/state.js';
import {ConfigError, NoBrokerError} from '../core/errors.js';

export type {Tls, Sasl} from './connection-schemas.js';
type Schemas = typeof import('./connection-schemas.js');

export type ConnectionSource = 'flag' | 'env' | 'config' | 'local-stack';

export interface Connection {
  brokers: string[];
  source: ConnectionSource;
  clientId: string;
  tls?: Tls;
  sasl?: Sasl;
}

/** Connection options as a command collected them from its flags. */
export interface ConnectionFlags {
  brokers?: string;
  tls?: boolean;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsInsecure?: boolean;
  saslMechanism?: string;
  saslUsername?: string;
  saslPassword?: string;
}

export const CONFIG_FILE_NAME = 'kpat.config.json';
/** The environment variables that say how to connect. */
const CONNECTION_ENV = ['KPAT_BROKERS', 'KPAT_TLS', 'KPAT_SASL_MECHANISM', 'KPAT_SASL_USERNAME', 'KPAT_SASL_PASSWORD'];

function parseBrokers(z: Schemas, value: string, where: string): string[] {
  const parsed = z.BrokerListSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(`${where}: "${value}" is not a broker list — ${parsed.error.issues[0]?.message ?? 'use host:port[,host:port]'}`);
  }
  return parsed.data;
}

export function loadConfigFile(z: Schemas, file: string): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON (${(error as Error).message}) — fix or remove it`);
  }
  const parsed = z.ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'file';
    throw new ConfigError(`${file}: ${where}: ${issue?.message ?? 'invalid'} — fix or remove it`);
  }
  return parsed.data;
}

/** Reads a PEM file named by a flag or by the config file; `where` says which, for the error. */
function readPem(path: string, where: string, baseDir: string): string {
  if (path.includes('-----BEGIN')) {
    throw new ConfigError(`${where} must be the path of a PEM file, not the PEM text — save it to a file and give its path`);
  }
  const full = resolve(baseDir, path);
  try {
    return readFileSync(full, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ((error as NodeJS.ErrnoException).code ?? 'unreadable');
    throw new ConfigError(`cannot read ${where} file ${full} (${why}) — fix the path in ${where}`);
  }
}

function tlsFrom(z: Schemas, flags: ConnectionFlags, env: NodeJS.ProcessEnv, file: ConfigFile | null, cwd: string): Tls | undefined {
  const fromFlag = (path: string | undefined, flag: string) => (path ? readPem(path, `--${flag}`, cwd) : undefined);
  const wantsTls = flags.tls || flags.tlsCa || flags.tlsCert || flags.tlsKey || flags.tlsInsecure || env.KPAT_TLS === '1';
  if (wantsTls) {
    return z.TlsSchema.parse({
      ca: fromFlag(flags.tlsCa, 'tls-ca'),
      cert: fromFlag(flags.tlsCert, 'tls-cert'),
      key: fromFlag(flags.tlsKey, 'tls-key'),
      rejectUnauthorized: !flags.tlsInsecure,
    });
  }
  if (file?.tls === true) return z.TlsSchema.parse({});
  if (!file?.tls || !file.tls.enabled) return undefined;
  // The config file names files, relative to its own folder (the working folder).
  const fromFile = (path: string | undefined, key: 'ca' | 'cert' | 'key') => (path ? readPem(path, `tls.${key} in ${CONFIG_FILE_NAME}`, cwd) : undefined);
  return {...file.tls, ca: fromFile(file.tls.ca, 'ca'), cert: fromFile(file.tls.cert, 'cert'), key: fromFile(file.tls.key, 'key')};
}

function saslFrom(z: Schemas, flags: ConnectionFlags, env: NodeJS.ProcessEnv, file: ConfigFile | null): Sasl | undefined {
  const mechanism = flags.saslMechanism ?? env.KPAT_SASL_MECHANISM;
  if (mechanism) {
    const parsed = z.SaslSchema.safeParse({
      mechanism: mechanism.toLowerCase(),
      username: flags.saslUsername ?? env.KPAT_SASL_USERNAME,
      password: flags.saslPassword ?? env.KPAT_SASL_PASSWORD ?? '',
    });
    if (!parsed.success) {
      throw new ConfigError('SASL needs --sasl-mechanism plain|scram-sha-256|scram-sha-512 and --sasl-username (password from --sasl-password or KPAT_SASL_PASSWORD)');
    }
    return parsed.data;
  }
  return file?.sasl;
}

/**
 * The local stack as a connection: its TLS CA (and kpat's client certificate for
 * mutual TLS) from its state; SASL credentials only from the user (flags or
 * environment), which a SASL stack requires.
 */
function stackConnection(stack: StackState, clientId: string, given: {tls?: Tls; sasl?: Sasl}): Connection {
  const tls = given.tls ?? stackTls(stack);
  if (stack.sasl && !given.sasl) {
    const mechanism = (stack.sasl.find((m) => m !== 'PLAIN') ?? stack.sasl[0]!).toLowerCase();
    throw new ConfigError(
      `the local stack requires SASL (${stack.sasl.join(', ')}) — pass --sasl-mechanism ${mechanism} --sasl-username NAME and set KPAT_SASL_PASSWORD (or KPAT_SASL_MECHANISM, KPAT_SASL_USERNAME)`,
    );
  }
  return {brokers: [`${stack.host}:${stack.port}`], source: 'local-stack', clientId, ...(tls ? {tls} : {}), ...(given.sasl ? {sasl: given.sasl} : {})};
}

function stackTls(stack: StackState): Tls | undefined {
  if (!stack.tls) return undefined;
  const read = (file: string | undefined | null) => (file ? readPem(file, 'the local stack\'s TLS files (`kpat status`)', '/') : undefined);
  return {enabled: true, ca: read(stack.tls.ca), cert: read(stack.tls.clientCert), key: read(stack.tls.clientKey), rejectUnauthorized: true};
}

/**
 * Which cluster a command talks to. First hit wins: --brokers, KPAT_BROKERS,
 * kpat.config.json in the working folder, the stack started by `kpat up`.
 * What the user gave (flags, environment, config file) is checked with zod,
 * loaded only then: with none of them, the local stack needs no schema, and
 * short commands start without paying for one.
 */
export async function resolveConnection(
  flags: ConnectionFlags,
  opts: {env?: NodeJS.ProcessEnv; cwd?: string; allowNone?: boolean} = {},
): Promise<Connection | null> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const configFile = join(cwd, CONFIG_FILE_NAME);
  const given = Object.values(flags).some((v) => v !== undefined && v !== false) || CONNECTION_ENV.some((k) => env[k]);
  const hasFile = existsSync(configFile);
  if (!given && !hasFile) {
    const stack = readRunningStack(stackPaths().stateFile);
    if (stack) return stack.tls || stack.sasl ? stackConnection(stack, 'kpat', {}) : {brokers: [`${stack.host}:${stack.port}`], source: 'local-stack', clientId: 'kpat'};
    if (opts.allowNone) return null;
    throw new NoBrokerError();
  }
  const z = await import('./connection-schemas.js');
  const file = hasFile ? loadConfigFile(z, configFile) : null;
  const clientId = file?.clientId ?? 'kpat';
  const extras = {tls: tlsFrom(z, flags, env, file, cwd), sasl: saslFrom(z, flags, env, file)};
  const build = (brokers: string[], source: ConnectionSource): Connection => ({brokers, source, clientId, ...extras});

  if (flags.brokers) return build(parseBrokers(z, flags.brokers, '--brokers'), 'flag');
  if (env.KPAT_BROKERS) return build(parseBrokers(z, env.KPAT_BROKERS, 'KPAT_BROKERS'), 'env');
  if (file?.brokers) return build(file.brokers, 'config');
  const stack = readRunningStack(stackPaths().stateFile);
  if (stack) return stackConnection(stack, clientId, extras);
  if (opts.allowNone) return null;
  throw new NoBrokerError();
}
