/**
 * The broker process `kpat up` starts in the background: `broker start` flags
 * in, the broker in the foreground until SIGTERM, state file and log as
 * `kpat broker start` writes them. It imports the broker and nothing of the
 * CLI (no oclif, Ink or React), so the stack answers sooner after `kpat up`.
 */
import {KpatError} from '../core/errors.js';
import {parseBrokerArgs} from './broker-args.js';
import {runBrokerInForeground} from './foreground.js';

try {
  const {config, registryPort, metricsPort, stateFile, logFile} = parseBrokerArgs(process.argv.slice(2));
  await runBrokerInForeground(config, {stateFile, logFile, registryPort, metricsPort});
} catch (error) {
  process.stderr.write(`kpat: ${(error as Error).message}\n`);
  process.exitCode = error instanceof KpatError ? error.exitCode : 1;
}
