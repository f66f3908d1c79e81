import {Command, Flags, Errors} from '@oclif/core';
import {KpatError} from '../core/errors.js';
import type {Connection, ConnectionFlags} from '../kafka/connection.js';
import {resolveOutputMode, type OutputMode} from './output.js';
import {missingInputMessage} from './usage-errors.js';

/** Flags for commands that talk to a cluster; spread into a command's `flags`. */
export const connectionFlags = {
  brokers: Flags.string({
    char: 'b',
    summary: 'Bootstrap brokers, host:port[,host:port]. Default: KPAT_BROKERS, kpat.config.json, then the stack from `kpat up`.',
    helpGroup: 'CONNECTION',
  }),
  tls: Flags.boolean({summary: 'Connect with TLS.', helpGroup: 'CONNECTION'}),
  'tls-ca': Flags.string({summary: 'PEM file with the CA that signed the brokers\' certificates.', helpGroup: 'CONNECTION'}),
  'tls-cert': Flags.string({summary: 'PEM client certificate (mutual TLS).', helpGroup: 'CONNECTION'}),
  'tls-key': Flags.string({summary: 'PEM client key (mutual TLS).', helpGroup: 'CONNECTION'}),
  'tls-insecure': Flags.boolean({summary: 'Do not verify the brokers\' certificates.', helpGroup: 'CONNECTION'}),
  'sasl-mechanism': Flags.string({
    summary: 'SASL mechanism.',
    options: ['plain', 'scram-sha-256', 'scram-sha-512'],
    helpGroup: 'CONNECTION',
  }),
  'sasl-username': Flags.string({summary: 'SASL username (or KPAT_SASL_USERNAME).', helpGroup: 'CONNECTION'}),
  'sasl-password': Flags.string({summary: 'SASL password (better: KPAT_SASL_PASSWORD).', helpGroup: 'CONNECTION'}),
};

type ConnectionFlagValues = {
  brokers?: string;
  tls?: boolean;
  'tls-ca'?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
  'tls-insecure'?: boolean;
  'sasl-mechanism'?: string;
  'sasl-username'?: string;
  'sasl-password'?: string;
};

/** The colours the base command uses; chalk's when colours can show, else plain text. */
type Paint = {dim(text: string): string; red(text: string): string; yellow(text: string): string};
const plain: Paint = {dim: (t) => t, red: (t) => t, yellow: (t) => t};

/**
 * Owns what every command shares: the output mode, mapping errors to exit codes
 * (0 ok, 1 operation failed, 2 bad usage or config, 3 invariant failed) with
 * messages that name the fix, and connection resolution.
 */
export abstract class KpatCommand extends Command {
  static override baseFlags = {
    output: Flags.option({
      char: 'o',
      summary: 'Output: tui (live view, default on a terminal), plain (lines), json (NDJSON).',
      options: ['tui', 'plain', 'json'] as const,
      helpGroup: 'OUTPUT',
    })(),
    json: Flags.boolean({summary: 'Same as --output json.', helpGroup: 'OUTPUT'}),
    verbose: Flags.boolean({summary: 'Show stack traces and client logs on errors.', helpGroup: 'OUTPUT'}),
  };

  protected outputMode: OutputMode = 'plain';
  protected verbose = false;
  private paint = plain;
  private connections: typeof import('../kafka/connection.js') | null = null;

  override async init(): Promise<void> {
    await super.init();
    const command = this.constructor as typeof KpatCommand;
    const {flags} = await this.parse(command);
    this.verbose = Boolean(flags.verbose);
    this.outputMode = resolveOutputMode(flags.output, Boolean(flags.json), Boolean(process.stdout.isTTY));
    // Loaded only where needed: every command pays for what it imports at start-up
    // (connection resolution brings zod; chalk colours nothing without a terminal or FORCE_COLOR).
    if (command.flags && 'brokers' in command.flags) this.connections = await import('../kafka/connection.js');
    if (process.stdout.isTTY || process.env.FORCE_COLOR !== undefined) this.paint = (await import('chalk')).default;
  }

  /** Resolves the cluster from flags, env, config file or the local stack; throws a helpful error when none. */
  protected async connection(flags: ConnectionFlagValues): Promise<Connection> {
    return (await this.connectionModule().resolveConnection(this.connectionFlagsOf(flags)))!;
  }

  /** Like connection(), but null when nothing is configured and no local stack runs. */
  protected connectionOrNone(flags: ConnectionFlagValues): Promise<Connection | null> {
    return this.connectionModule().resolveConnection(this.connectionFlagsOf(flags), {allowNone: true});
  }

  private connectionModule(): typeof import('../kafka/connection.js') {
    if (!this.connections) throw new Error(`${this.id ?? 'this command'} resolves a connection but does not declare connectionFlags`);
    return this.connections;
  }

  private connectionFlagsOf(flags: ConnectionFlagValues): ConnectionFlags {
    return {
      brokers: flags.brokers,
      tls: flags.tls,
      tlsCa: flags['tls-ca'],
      tlsCert: flags['tls-cert'],
      tlsKey: flags['tls-key'],
      tlsInsecure: flags['tls-insecure'],
      saslMechanism: flags['sasl-mechanism'],
      saslUsername: flags['sasl-username'],
      saslPassword: flags['sasl-password'],
    };
  }

  /** One NDJSON line on stdout (json mode). */
  protected emitJson(value: unknown): void {
    process.stdout.write(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');
  }

  /** A result line on stdout (plain/tui modes). */
  protected out(line: string): void {
    process.stdout.write(line + '\n');
  }

  /** Progress and notes: stderr, so stdout stays clean for results (and JSON). */
  protected note(line: string): void {
    process.stderr.write(this.paint.dim(line) + '\n');
  }

  /** Something the user should know before trusting the result: stderr, in every output mode. */
  protected warning(line: string): void {
    process.stderr.write(this.paint.yellow(`kpat: warning: ${line}`) + '\n');
  }

  protected override async catch(err: Error & {exitCode?: number}): Promise<unknown> {
    if (err instanceof KpatError) {
      process.stderr.write(this.paint.red(`kpat: ${err.message}`) + '\n');
      if (this.verbose && err.stack) process.stderr.write(this.paint.dim(err.stack) + '\n');
      this.exit(err.exitCode);
    }
    const missing = missingInputMessage(err, this.constructor as typeof KpatCommand, this.config.bin, this.argv);
    if (missing) {
      process.stderr.write(this.paint.red(`kpat: ${missing}`) + '\n');
      this.exit(2);
    }
    // oclif's own errors (unknown flag, ExitError) already carry exit codes.
    if (err instanceof Errors.CLIError || (err as {oclif?: unknown}).oclif) throw err;
    process.stderr.write(this.paint.red(`kpat: ${err.message}`) + '\n');
    if (this.verbose && err.stack) process.stderr.write(this.paint.dim(err.stack) + '\n');
    else process.stderr.write(this.paint.dim('run again with --verbose for details') + '\n');
    this.exit(1);
  }
}
