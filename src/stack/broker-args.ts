import {resolve} from 'node:path';
import {parseArgs} from 'node:util';
import type {BrokerConfigInput} from '../broker/config.js';
import {ConfigError} from '../core/errors.js';
import {stackPaths} from './paths.js';

export interface BrokerLaunch {
  config: BrokerConfigInput;
  stateFile?: string;
  logFile?: string;
}

function integer(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`--${name} must be an integer from ${min} to ${max}, got ${text}`);
  return n;
}

/**
 * The flags of `kpat broker start` (same names, defaults and checks), read
 * without the CLI framework: the broker process `kpat up` spawns starts from
 * here, so its start-up pays for the broker alone. A leading `broker start` is
 * accepted, so the spawned command line reads like the CLI's.
 */
export function parseBrokerArgs(argv: string[]): BrokerLaunch {
  const words = argv[0] === 'broker' && argv[1] === 'start' ? argv.slice(2) : argv;
  let values;
  try {
    ({values} = parseArgs({
      args: words,
      strict: true,
      allowPositionals: false,
      options: {
        host: {type: 'string'},
        port: {type: 'string', short: 'p'},
        'data-dir': {type: 'string', short: 'd'},
        fsync: {type: 'string'},
        'auto-create-topics': {type: 'boolean'},
        'no-auto-create-topics': {type: 'boolean'},
        'default-partitions': {type: 'string'},
        'state-file': {type: 'string'},
        'log-file': {type: 'string'},
      },
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} — the broker takes the flags of \`kpat broker start\` (see \`kpat broker start --help\`)`);
  }
  const fsync = values.fsync ?? 'always';
  if (fsync !== 'always' && fsync !== 'never') throw new ConfigError(`--fsync must be always or never, got ${fsync}`);
  return {
    config: {
      host: values.host ?? '127.0.0.1',
      port: integer('port', values.port, 9092, 0, 65535),
      dataDir: resolve(values['data-dir'] ?? stackPaths().defaultDataDir),
      fsync,
      autoCreateTopics: !values['no-auto-create-topics'],
      defaultPartitions: integer('default-partitions', values['default-partitions'], 1, 1, Number.MAX_SAFE_INTEGER),
    },
    stateFile: values['state-file'],
    logFile: values['log-file'],
  };
}
