import {existsSync, readFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {z} from 'zod';
import {stackPaths} from '../stack/paths.js';
import {readRunningStack} from '../stack/state.js';
import {ConfigError, NoBrokerError} from '../core/errors.js';

/** TLS and SASL options for real clusters. ca/cert/key hold PEM text once resolved; the config file gives file paths. */
export const TlsSchema = z.object({
  enabled: z.boolean().default(true),
  ca: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
  rejectUnauthorized: z.boolean().default(true),
});

export const SaslSchema = z.object({
  mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
  username: z.string().min(1),
  password: z.string(),
});

const BrokerListSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0))
  .refine((list) => list.length > 0, 'at least one host:port')
  .refine((list) => list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b) || /^\[[^\]]+\]:\d{1,5}$/.test(b)), {
    message: 'each broker must be host:port, e.g. localhost:9092',
  });

export const ConfigFileSchema = z
  .object({
    brokers: BrokerListSchema.optional(),
    clientId: z.string().optional(),
    tls: z.union([z.boolean(), TlsSchema]).optional(),
    sasl: SaslSchema.optional(),
  })
  .strict();

export type Tls = z.infer<typeof TlsSchema>;
export type Sasl = z.infer<typeof SaslSchema>;

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

function parseBrokers(value: string, where: string): string[] {
  const parsed = BrokerListSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(`${where}: "${value}" is not a broker list — ${parsed.error.issues[0]?.message ?? 'use host:port[,host:port]'}`);
  }
  return parsed.data;
}

function loadConfigFile(cwd: string): z.infer<typeof ConfigFileSchema> | null {
  const file = join(cwd, CONFIG_FILE_NAME);
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON (${(error as Error).message}) — fix or remove it`);
  }
  const parsed = ConfigFileSchema.safeParse(raw);
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

function tlsFrom(flags: ConnectionFlags, env: NodeJS.ProcessEnv, file: z.infer<typeof ConfigFileSchema> | null, cwd: string): Tls | undefined {
  const fromFlag = (path: string | undefined, flag: string) => (path ? readPem(path, `--${flag}`, cwd) : undefined);
  const wantsTls = flags.tls || flags.tlsCa || flags.tlsCert || flags.tlsKey || flags.tlsInsecure || env.KPAT_TLS === '1';
  if (wantsTls) {
    return TlsSchema.parse({
      ca: fromFlag(flags.tlsCa, 'tls-ca'),
      cert: fromFlag(flags.tlsCert, 'tls-cert'),
      key: fromFlag(flags.tlsKey, 'tls-key'),
      rejectUnauthorized: !flags.tlsInsecure,
    });
  }
  if (file?.tls === true) return TlsSchema.parse({});
  if (!file?.tls || !file.tls.enabled) return undefined;
  // The config file names files, relative to its own folder (the working folder).
  const fromFile = (path: string | undefined, key: 'ca' | 'cert' | 'key') => (path ? readPem(path, `tls.${key} in ${CONFIG_FILE_NAME}`, cwd) : undefined);
  return {...file.tls, ca: fromFile(file.tls.ca, 'ca'), cert: fromFile(file.tls.cert, 'cert'), key: fromFile(file.tls.key, 'key')};
}

function saslFrom(flags: ConnectionFlags, env: NodeJS.ProcessEnv, file: z.infer<typeof ConfigFileSchema> | null): Sasl | undefined {
  const mechanism = flags.saslMechanism ?? env.KPAT_SASL_MECHANISM;
  if (mechanism) {
    const parsed = SaslSchema.safeParse({
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
 * Which cluster a command talks to. First hit wins: --brokers, KPAT_BROKERS,
 * kpat.config.json in the working folder, the stack started by `kpat up`.
 */
export function resolveConnection(
  flags: ConnectionFlags,
  opts: {env?: NodeJS.ProcessEnv; cwd?: string; allowNone?: boolean} = {},
): Connection | null {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const file = loadConfigFile(cwd);
  const clientId = file?.clientId ?? 'kpat';
  const extras = {tls: tlsFrom(flags, env, file, cwd), sasl: saslFrom(flags, env, file)};
  const build = (brokers: string[], source: ConnectionSource): Connection => ({brokers, source, clientId, ...extras});

  if (flags.brokers) return build(parseBrokers(flags.brokers, '--brokers'), 'flag');
  if (env.KPAT_BROKERS) return build(parseBrokers(env.KPAT_BROKERS, 'KPAT_BROKERS'), 'env');
  if (file?.brokers) return build(file.brokers, 'config');
  const stack = readRunningStack(stackPaths().stateFile);
  if (stack) return build([`${stack.host}:${stack.port}`], 'local-stack');
  if (opts.allowNone) return null;
  throw new NoBrokerError();
}
