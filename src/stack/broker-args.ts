import {parseArgs} from 'node:util';
import type {BrokerConfigInput} from '../broker/config.js';
import {ConfigError} from '../core/errors.js';
import {BROKER_OPTIONS, brokerConfigFrom, type BrokerOptionValues} from './broker-options.js';

export interface BrokerLaunch {
  config: BrokerConfigInput;
  /** Host a schema registry on this port; none when undefined. */
  registryPort?: number;
  /** Serve Prometheus metrics on this port; none when undefined. */
  metricsPort?: number;
  stateFile?: string;
  logFile?: string;
}

type Spec = {type: 'string' | 'boolean'; short?: string; multiple?: boolean};

/** node:util parseArgs options for the broker's table: integers arrive as text, booleans also as --no-NAME. */
function parseArgsOptions(): Record<string, Spec> {
  const out: Record<string, Spec> = {'state-file': {type: 'string'}, 'log-file': {type: 'string'}};
  for (const [name, opt] of Object.entries(BROKER_OPTIONS)) {
    out[name] = {type: opt.kind === 'boolean' ? 'boolean' : 'string', ...('char' in opt ? {short: opt.char} : {}), ...(opt.kind === 'strings' ? {multiple: true} : {})};
    if (opt.kind === 'boolean') out[`no-${name}`] = {type: 'boolean'};
  }
  return out;
}

/**
 * The flags of `kpat broker start` (the same table, so the same names, defaults
 * and checks), read without the CLI framework: the broker process `kpat up`
 * spawns starts from here, so its start-up pays for the broker alone. A leading
 * `broker start` is accepted, so the spawned command line reads like the CLI's.
 */
export function parseBrokerArgs(argv: string[]): BrokerLaunch {
  const words = argv[0] === 'broker' && argv[1] === 'start' ? argv.slice(2) : argv;
  let values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  try {
    ({values} = parseArgs({args: words, strict: true, allowPositionals: false, options: parseArgsOptions()}));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} — the broker takes the flags of \`kpat broker start\` (see \`kpat broker start --help\`)`);
  }
  const given: Record<string, unknown> = {};
  for (const [name, opt] of Object.entries(BROKER_OPTIONS)) {
    const v = values[name];
    if (opt.kind === 'boolean') given[name] = values[`no-${name}`] ? false : (v as boolean | undefined);
    else if (opt.kind === 'integer' && typeof v === 'string') {
      const n = Number(v);
      if (!Number.isInteger(n) || n < opt.min || n > opt.max) throw new ConfigError(`--${name} must be an integer from ${opt.min} to ${opt.max}, got ${v}`);
      given[name] = n;
    } else given[name] = v;
  }
  return {
    config: brokerConfigFrom(given as BrokerOptionValues),
    registryPort: given['registry-port'] as number | undefined,
    metricsPort: given['metrics-port'] as number | undefined,
    stateFile: values['state-file'] as string | undefined,
    logFile: values['log-file'] as string | undefined,
  };
}
