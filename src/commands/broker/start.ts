import {Flags} from '@oclif/core';
import {KpatCommand} from '../../cli/base-command.js';
import {brokerFlags} from '../../cli/broker-flags.js';
import {runBrokerInForeground} from '../../stack/foreground.js';
import {brokerConfigFrom} from '../../stack/broker-options.js';

export default class BrokerStart extends KpatCommand {
  static override summary = 'Run the embedded Kafka-compatible broker in the foreground.';
  static override description = `A single-node broker speaking the Kafka wire protocol: kafkajs, kcat and other clients work against it.
Data lives in --data-dir (default $KPAT_HOME/data); Ctrl-C stops it gracefully. Use \`kpat up\` to run it in the background instead.`;
  static override examples = ['<%= config.bin %> broker start', '<%= config.bin %> broker start --port 0 --data-dir /tmp/kpat-data --fsync never'];

  static override flags = {
    ...brokerFlags,
    'state-file': Flags.string({hidden: true}),
    'log-file': Flags.string({hidden: true}),
    'log-cleaner-interval-ms': Flags.integer({hidden: true, description: 'how often the log cleaner runs (compacted topics)'}),
    'log-cleaner-swap-delay-ms': Flags.integer({hidden: true, description: 'tests: pause before a cleaned segment is swapped in'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(BrokerStart);
    await runBrokerInForeground(
      {...brokerConfigFrom(flags), logCleanerIntervalMs: flags['log-cleaner-interval-ms'], logCleanerSwapDelayMs: flags['log-cleaner-swap-delay-ms']},
      {
        stateFile: flags['state-file'],
        registryPort: flags['registry-port'],
        metricsPort: flags['metrics-port'],
        logFile: flags['log-file'],
        onListening: (b, registry, metrics) => {
          if (flags['state-file']) return;
          this.note(`kpat broker listening on ${b.bootstrap} — Ctrl-C to stop`);
          if (registry) this.note(`schema registry listening on ${registry.url}`);
          if (metrics) this.note(`Prometheus metrics at ${metrics.url}`);
        },
      },
    );
  }
}
