import {Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../cli/base-command.js';
import {faultPlanFromFlags} from '../cli/proxy-flags.js';
import {ConfigError} from '../core/errors.js';
import {parseHostPort, startFaultProxy} from '../kafka/proxy/index.js';
import {faultLine, planText, summaryJson, summaryLines} from '../ui/proxy-lines.js';

export default class Proxy extends KpatCommand {
  static override summary = 'Run a Kafka proxy that injects seeded faults: lost responses, delays, cut connections.';
  static override description = `Listens on a local port and forwards to a cluster, standing in for every broker the cluster advertises (Metadata and FindCoordinator answers are rewritten to the proxy's addresses), so any Kafka client pointed at it stays on it: kafkajs, kcat, librdkafka, Java.

Faults are decided per request by dice seeded with --seed: the same seed and the same requests give the same faults.
  --drop-responses P  the request reaches the broker and is handled, but its response is lost and the client's connection closed, so the client retries: a plain producer writes a duplicate, an idempotent one does not. Produce responses only, unless --drop-apis says otherwise.
  --delay D|MIN-MAX   every response waits D (or a random time in the range) before it is delivered.
  --cut P             the client's connection is closed instead of forwarding a request.

Without --to it proxies the cluster kpat would use (--brokers, KPAT_BROKERS, kpat.config.json, the stack from \`kpat up\`). It speaks plaintext to the cluster: SASL passes through, TLS does not.

Runs until Ctrl-C, printing one line per fault ({"type":"fault"} in JSON), then a summary of the traffic ({"type":"proxy-summary"}).`;
  static override examples = [
    '<%= config.bin %> proxy --port 19092 --drop-responses 0.05',
    '<%= config.bin %> proxy --to broker-1.internal:9092 --delay 10ms-50ms --cut 0.01 --seed 7',
    '<%= config.bin %> proxy --drop-responses 0.1 --drop-apis produce,offsetcommit --output json',
  ];
  static override flags = {
    ...connectionFlags,
    to: Flags.string({summary: 'The cluster to forward to, host:port. Default: the cluster kpat would connect to.'}),
    port: Flags.integer({char: 'p', summary: 'Port for clients to bootstrap from (0: any free port). Each broker gets its own port too.', default: 0, min: 0, max: 65535}),
    host: Flags.string({summary: 'Address to listen on, and to hand clients as every broker\'s address.', default: '127.0.0.1'}),
    seed: Flags.integer({char: 's', summary: 'Seed for the fault dice: the same seed gives the same faults.', default: 1}),
    'drop-responses': Flags.string({summary: 'Probability (0-1) of losing a response after the broker handled the request, e.g. 0.05.', helpGroup: 'FAULTS'}),
    'drop-apis': Flags.string({summary: 'Which responses --drop-responses may lose: API names, comma-separated. Default: produce.', helpGroup: 'FAULTS'}),
    delay: Flags.string({summary: 'Hold every response this long, or a random time in a range: 20ms, 10ms-50ms.', helpGroup: 'FAULTS'}),
    cut: Flags.string({summary: 'Probability (0-1) of closing the client\'s connection instead of forwarding a request, e.g. 0.01.', helpGroup: 'FAULTS'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Proxy);
    const plan = faultPlanFromFlags(flags);
    if (flags.to !== undefined && !isHostPort(flags.to)) {
      throw new ConfigError(`--to "${flags.to}" is not a broker address — use host:port, e.g. --to 127.0.0.1:9092`);
    }
    const target = flags.to ?? (await this.clusterAddress(flags));
    const proxy = await startFaultProxy({target, host: flags.host, port: flags.port, seed: flags.seed, plan});
    const json = this.outputMode === 'json';
    if (json) this.emitJson({type: 'proxy-started', bootstrap: proxy.bootstrap, target, seed: flags.seed, plan});
    else this.out(`proxy ${proxy.bootstrap} → ${target} (seed ${flags.seed}: ${planText(plan)}) — Ctrl-C to stop`);
    proxy.events.subscribe((e) => {
      if (e.type === 'fault') {
        if (json) this.emitJson(e);
        else this.out(faultLine(e));
      } else if (e.type === 'broker-listener') {
        this.note(`broker ${e.nodeId} (${e.upstream}) is at ${e.address}`);
      }
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await proxy.close();
    const stats = proxy.stats();
    if (json) this.emitJson(summaryJson(stats));
    else for (const line of summaryLines(stats)) this.out(line);
  }

  /** The first bootstrap broker of the resolved connection; TLS cannot go through a plaintext proxy. */
  private async clusterAddress(flags: Parameters<KpatCommand['connection']>[0]): Promise<string> {
    const conn = await this.connection(flags);
    if (conn.tls) throw new ConfigError('kpat proxy speaks plaintext to the cluster and this connection uses TLS — point --to at a plaintext listener');
    return conn.brokers[0]!;
  }
}

function isHostPort(text: string): boolean {
  try {
    parseHostPort(text);
    return true;
  } catch {
    return false;
  }
}
