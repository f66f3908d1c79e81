import {KpatCommand} from '../cli/base-command.js';
import {brokerFlags} from '../cli/broker-flags.js';
import {stackUp} from '../stack/control.js';
import {brokerConfigFrom, upMetricsPort, upRegistryPort} from '../stack/broker-options.js';
import {OperationError} from '../core/errors.js';

export default class Up extends KpatCommand {
  static override summary = 'Start the local stack: the embedded Kafka-compatible broker and its schema registry, in the background.';
  static override description = `No Docker and no JVM needed. Returns once the broker answers a real Kafka request and prints its address.
The schema registry (Confluent's REST API) listens on --registry-port (default 8081) and keeps its schemas in the broker's _schemas topic.
Prometheus metrics (kafka_exporter's names, plus kpat_… broker internals) are served at /metrics on --metrics-port (default 9308, kafka_exporter's port).
Other kpat commands find both on their own; other clients (kafkajs, kcat …) use the printed bootstrap address.
State and log live under $KPAT_HOME (default ~/.kpat). Stop it with \`kpat down\`.`;
  static override examples = [
    '<%= config.bin %> up',
    '<%= config.bin %> up --port 0 --fsync never',
    'kcat -b 127.0.0.1:9092 -L',
    '<%= config.bin %> up --tls --sasl scram-sha-256 --user alice:secret --user admin:admin-secret --acl --super-user User:admin',
  ];
  static override flags = {...brokerFlags};

  async run(): Promise<void> {
    const {flags} = await this.parse(Up);
    // Checks the security flags together (exit 2 naming the fix) before anything starts.
    const checked = brokerConfigFrom(flags);
    let result;
    try {
      result = await stackUp({
        host: flags.host,
        port: flags.port,
        dataDir: flags['data-dir'],
        fsync: flags.fsync as 'always' | 'never',
        autoCreateTopics: flags['auto-create-topics'],
        defaultPartitions: flags['default-partitions'],
        maxOpenLogFiles: flags['max-open-log-files'],
        registryPort: upRegistryPort(flags),
        metricsPort: upMetricsPort(flags),
        advertisedHost: flags['advertised-host'],
        tls: flags.tls,
        tlsCert: flags['tls-cert'],
        tlsKey: flags['tls-key'],
        tlsCa: flags['tls-ca'],
        tlsClientAuth: flags['tls-client-auth'] as 'none' | 'required',
        sasl: flags.sasl,
        users: checked.users,
        acl: flags.acl,
        superUsers: flags['super-user'],
      });
    } catch (error) {
      throw new OperationError(`could not start the broker: ${(error as Error).message}`);
    }
    const {state, alreadyRunning, replacedCrashed} = result;
    const bootstrap = `${state.host}:${state.port}`;
    if (this.outputMode === 'json') {
      this.emitJson({type: 'up', alreadyRunning, bootstrap, registry: state.registryUrl ?? null, metrics: state.metricsUrl ?? null, pid: state.pid, dataDir: state.dataDir, logFile: state.logFile, ...(state.tls ? {tls: state.tls} : {}), ...(state.sasl ? {sasl: state.sasl} : {}), ...(replacedCrashed ? {replacedCrashed} : {})});
      return;
    }
    if (alreadyRunning) {
      this.out(`kpat broker already running at ${bootstrap} (pid ${state.pid}, data ${state.dataDir})`);
      this.note('its flags are unchanged; run `kpat down` first to restart it with other flags');
    } else {
      if (replacedCrashed) this.note(`the last broker (pid ${replacedCrashed}) exited without stopping cleanly; its data was recovered on start`);
      this.out(`kpat broker running at ${bootstrap} (pid ${state.pid}, data ${state.dataDir})`);
      if (state.registryUrl) this.out(`schema registry at ${state.registryUrl}`);
      if (state.metricsUrl) this.out(`Prometheus metrics at ${state.metricsUrl}`);
      if (state.tls?.ca) this.out(`TLS CA: ${state.tls.ca}`);
      if (state.sasl) this.out(`SASL: ${state.sasl.join(', ')}`);
      if (state.acl) this.out('ACLs enforced: grant access with `kpat acl add`');
      this.note(`log: ${state.logFile} · other clients: --bootstrap-server ${bootstrap} · stop: kpat down`);
    }
  }
}
